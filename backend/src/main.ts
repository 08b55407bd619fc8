import 'reflect-metadata';
import { join } from 'node:path';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { runMigrations } from './database/data-source';
import {
  EmbeddedPostgresError,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from './database/embedded-postgres';
import { createApp } from './bootstrap';
import { isConnectionLoss } from './database/connection-loss';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const started = Date.now();
  let embedded: EmbeddedPostgresHandle | null = null;
  let app: Awaited<ReturnType<typeof createApp>> | null = null;
  const stopEmbedded = async () => {
    if (embedded) await embedded.stop().catch(() => undefined);
  };
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    process.stdout.write(`${signal} received, shutting down\n`);
    const timer = setTimeout(() => process.exit(1), 30_000);
    try {
      if (app) await app.close();
    } finally {
      await stopEmbedded();
      clearTimeout(timer);
      process.exit(0);
    }
  };
  // A library that lets a dropped database connection reject unobserved (graphile-worker's job
  // bookkeeping, seen when PostgreSQL terminates connections under load) must not end the
  // server: the pools reconnect. Any other unhandled rejection still ends the process.
  process.on('unhandledRejection', (reason) => {
    if (!isConnectionLoss(reason)) throw reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    process.stderr.write(
      `${JSON.stringify({ level: 50, msg: `database connection lost in background work: ${message}` })}\n`,
    );
  });
  // Installed before PostgreSQL starts, so a signal during start-up still stops it.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  if (!config.databaseUrl) {
    const dir = join(config.dataDir, 'pg');
    process.stdout.write(`Starting embedded PostgreSQL in ${dir}\n`);
    try {
      embedded = await startEmbeddedPostgres(dir, config.embeddedPgPort);
    } catch (err) {
      const message =
        err instanceof EmbeddedPostgresError
          ? err.message
          : `Embedded PostgreSQL could not start in ${dir}: ${(err as Error).message}`;
      process.stderr.write(`${message}\n`);
      process.exit(1);
    }
    config = { ...config, databaseUrl: embedded.url };
  }
  try {
    await runMigrations(config.databaseUrl as string);
  } catch (err) {
    process.stderr.write(`Database migration failed: ${(err as Error).message}\n`);
    await stopEmbedded();
    process.exit(1);
  }
  app = await createApp(config);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    process.stderr.write(
      `Cannot listen on ${config.host}:${config.port}: ${(err as Error).message}\n`,
    );
    await app.close().catch(() => undefined);
    await stopEmbedded();
    process.exit(1);
  }
  process.stdout.write(
    `Backendify ready at http://${config.host}:${config.port} (console /, API /api, docs /docs) in ${Date.now() - started} ms\n`,
  );
}

void main().catch((err: unknown) => {
  process.stderr.write(`Fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
