import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { runMigrations } from '../../src/database/data-source';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs read arbitrary JSON bodies
export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  token?: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

/** A real Nest app on a real PostgreSQL database of its own, spoken to over real HTTP. */
export interface TestApp {
  baseUrl: string;
  databaseUrl: string;
  config: AppConfig;
  app: NestFastifyApplication;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs read arbitrary JSON bodies
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<HttpResult<T>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of any table
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function baseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error('TEST_DATABASE_URL is not set: run through jest with the e2e global setup');
  return url;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Creates a fresh database named for this file, migrates it and boots the app on a random port. */
export async function createTestApp(
  env: Record<string, string> = {},
  /** Captures the app's log lines (e.g. to check what request logs contain). */
  logDestination?: { write(line: string): void },
): Promise<TestApp> {
  const dbName = `bf_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const databaseUrl = withDatabase(baseUrl(), dbName);
  const dataDir = mkdtempSync(join(tmpdir(), 'bf-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    RATE_LIMIT: 'off',
    PORT: '0',
    ...env,
  });
  await runMigrations(databaseUrl);
  const app = await createApp(config, logDestination);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const root = `http://127.0.0.1:${port}`;
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();

  return {
    baseUrl: root,
    databaseUrl,
    config,
    app,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      let body: string | undefined;
      if (opts.rawBody !== undefined) body = opts.rawBody;
      else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.apiKey) headers['x-api-key'] = opts.apiKey;
      const res = await fetch(root + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed as never, headers: res.headers, text };
    },
    async query(text, params) {
      return (await sql.query(text, params as unknown[])).rows;
    },
    async close() {
      await sql.end();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      const c = new Client({ connectionString: baseUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    },
  };
}
