import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? def : ['true', '1', 'on', 'yes'].includes(v)));

const ENV_SCHEMA = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  DATABASE_READ_URLS: z.string().optional(),
  DATA_DIR: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Backendify <no-reply@localhost>'),
  CORS_ORIGINS: z.string().optional(),
  RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  WEBHOOK_ALLOW_PRIVATE: bool(false),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(10000),
  MAX_FILE_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(86400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  COUNT_ESTIMATE_THRESHOLD: z.coerce.number().int().min(0).max(1_000_000_000).default(1000),
});

/** Typed settings, validated once at start (DESIGN §3). */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  jwtSecret: string;
  redisUrl: string | undefined;
  storageDriver: 'local' | 's3';
  smtpUrl: string | undefined;
  mailFrom: string;
  corsOrigins: string[];
  rateLimit: boolean;
  webhookAllowPrivate: boolean;
  webhookRetryBaseMs: number;
  maxFileSize: number;
  logLevel: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  embeddedPgPort: number;
  dbPoolSize: number;
  /** `count=estimated`: exact totals up to this many matches, the planner's estimate above. */
  countEstimateThreshold: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

function loadOrCreateSecret(dataDir: string): string {
  const file = resolve(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = ENV_SCHEMA.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0]), issue.message.toLowerCase());
  }
  const e = parsed.data;
  // `pnpm start`/`pnpm dev` run in a workspace folder; INIT_CWD is where the user typed the command.
  const dataDir = e.DATA_DIR ? resolve(e.DATA_DIR) : resolve(env.INIT_CWD ?? process.cwd(), 'data');
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
  }
  const corsOrigins = (
    e.CORS_ORIGINS ??
    `http://127.0.0.1:${e.PORT},http://localhost:${e.PORT},http://localhost:5173,http://127.0.0.1:5173`
  )
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (corsOrigins.includes('*')) {
    throw new ConfigError('CORS_ORIGINS', "must list origins; '*' is not allowed with credentials");
  }
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    jwtSecret: e.JWT_SECRET ?? loadOrCreateSecret(dataDir),
    redisUrl: e.REDIS_URL,
    storageDriver: e.STORAGE_DRIVER,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    corsOrigins,
    rateLimit: e.RATE_LIMIT === 'on',
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    webhookRetryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
    maxFileSize: e.MAX_FILE_SIZE,
    logLevel: e.LOG_LEVEL,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    dbPoolSize: e.DB_POOL_SIZE,
    countEstimateThreshold: e.COUNT_ESTIMATE_THRESHOLD,
  };
}
