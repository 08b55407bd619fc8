import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? def : ['true', '1', 'on', 'yes'].includes(v)));

export const ENV_SCHEMA = z.object({
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
  REALTIME_MAX_SOCKETS: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  REALTIME_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(10_000).default(100),
  REALTIME_MAX_MESSAGE_BYTES: z.coerce.number().int().min(256).max(16_777_216).default(65_536),
  REALTIME_MAX_BUFFER_BYTES: z.coerce.number().int().min(1024).max(1e9).default(4_194_304),
  REALTIME_REPLAY_HOURS: z.coerce.number().min(0).max(8760).default(24),
  REALTIME_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  REALTIME_PING_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  REALTIME_RECHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: z.string().url('must be a URL such as http://127.0.0.1:9000').optional(),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool(false),
  SMTP_URL: z.string().optional(),
  PUBLIC_URL: z
    .string()
    .regex(
      /^https?:\/\/[^/?#\s]+\/?$/,
      'must be an http(s) origin such as https://console.example.com',
    )
    .optional(),
  MAIL_FROM: z.string().default('Backendify <no-reply@localhost>'),
  CORS_ORIGINS: z.string().optional(),
  RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  WEBHOOK_ALLOW_PRIVATE: bool(false),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(10000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(9),
  WEBHOOK_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(5),
  WORKFLOW_RUN_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(30),
  USAGE_FLUSH_MS: z.coerce.number().int().min(10).max(600_000).default(10_000),
  USAGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  WORKFLOW_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(5),
  WORKFLOW_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(5000),
  WORKFLOW_STEP_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  WORKFLOW_FUNCTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  WORKFLOW_SCHEDULE_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(0),
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
  DATA_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(10_000),
  VIEW_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
  TRUST_PROXY: z.string().optional(),
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(50 * 1024 * 1024),
  JOBS: z.enum(['on', 'off']).default('on'),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
});

/** Fastify's trustProxy: off, every proxy, a hop count, or the proxies' addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || ['false', '0', 'off', 'no'].includes(v)) return false;
  if (['true', 'on', 'yes'].includes(v)) return true;
  if (/^[1-9][0-9]{0,2}$/.test(v)) return Number(v);
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const cidr = /^(?:[0-9.]+|[0-9a-f:.]+)(?:\/[0-9]{1,3})?$/;
  if (list.length === 0 || !list.every((s) => cidr.test(s) && isIP(s.split('/')[0]) !== 0)) {
    throw new ConfigError(
      'TRUST_PROXY',
      'must be true, false, a hop count or a comma list of proxy IPs/CIDRs',
    );
  }
  return list;
}

/** Typed settings, validated once at start (DESIGN §3). */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  jwtSecret: string;
  redisUrl: string | undefined;
  /** Realtime WebSocket limits and timings (README "Realtime"). */
  realtime: RealtimeConfig;
  storageDriver: 'local' | 's3';
  /** Only when `storageDriver` is `s3`. */
  s3: S3Config | null;
  smtpUrl: string | undefined;
  /** Origin of the console for links in platform mail (no trailing slash). */
  publicUrl: string;
  mailFrom: string;
  corsOrigins: string[];
  rateLimit: boolean;
  webhookAllowPrivate: boolean;
  webhookRetryBaseMs: number;
  /** Per-attempt timeout of a webhook delivery (DESIGN: 15 s). */
  webhookTimeoutMs: number;
  /** Attempts of one delivery before it fails for good. */
  webhookMaxAttempts: number;
  /** Deliveries in a row that fail after every retry before the endpoint is disabled. */
  webhookDisableAfter: number;
  /** Finished workflow runs (and their step logs) older than this are pruned. */
  workflowRunRetentionDays: number;
  /** How often each process adds its request counts to `usage_minutes` (issue 15.5). */
  usageFlushMs: number;
  /** Days of per-minute usage rows kept (a daily job deletes older ones). */
  usageRetentionDays: number;
  /** Runs started by a workflow's own record writes nest at most this deep (loops end). */
  workflowMaxDepth: number;
  /** First retry delay of a failing step; each further retry doubles it. */
  workflowRetryBaseMs: number;
  /** Time limit of a step that sets no `timeout_ms`. */
  workflowStepTimeoutMs: number;
  /** How long `POST …/functions/{slug}` waits for its run before answering 202. */
  workflowFunctionTimeoutMs: number;
  /** 0: due schedules are looked for by the once-a-minute tick; >0: also every N ms per process. */
  workflowSchedulePollMs: number;
  maxFileSize: number;
  logLevel: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  embeddedPgPort: number;
  dbPoolSize: number;
  /** `count=estimated`: exact totals up to this many matches, the planner's estimate above. */
  countEstimateThreshold: number;
  /** `statement_timeout` of every statement on project data. */
  dataStatementTimeoutMs: number;
  /** `statement_timeout` of one view run (SET LOCAL in its read-only transaction). */
  viewStatementTimeoutMs: number;
  trustProxy: TrustProxy;
  importMaxBytes: number;
  /** Whether this process runs background jobs (webhook deliveries, retention). */
  jobsEnabled: boolean;
  jobsConcurrency: number;
}

/** Where the `s3` storage driver keeps objects (any S3-compatible server). */
export interface S3Config {
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
}

/** Realtime limits (per process and per socket) and timings. */
export interface RealtimeConfig {
  maxSockets: number;
  maxSubscriptions: number;
  /** Largest client message; larger ones are answered with an error, the socket stays. */
  maxMessageBytes: number;
  /** Outgoing bytes a socket may have queued before it is closed as too slow (4008). */
  maxBufferBytes: number;
  /** How far back `since=` replays from the change log. */
  replayHours: number;
  /** How often the change log is read without a NOTIFY hint, while anyone subscribes. */
  pollMs: number;
  /** Ping interval; a socket that missed a whole interval's pong is closed. */
  pingMs: number;
  /** How often each socket's credentials are checked again (revoked sessions, removed members). */
  recheckMs: number;
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

function s3Config(e: z.infer<typeof ENV_SCHEMA>): S3Config | null {
  if (e.STORAGE_DRIVER !== 's3') return null;
  if (!e.S3_BUCKET) throw new ConfigError('S3_BUCKET', 'is required when STORAGE_DRIVER=s3');
  if (Boolean(e.S3_ACCESS_KEY_ID) !== Boolean(e.S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError(
      e.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID',
      'must be set together with its pair (S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY)',
    );
  }
  return {
    endpoint: e.S3_ENDPOINT,
    bucket: e.S3_BUCKET,
    region: e.S3_REGION,
    accessKeyId: e.S3_ACCESS_KEY_ID,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
  };
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
    realtime: {
      maxSockets: e.REALTIME_MAX_SOCKETS,
      maxSubscriptions: e.REALTIME_MAX_SUBSCRIPTIONS,
      maxMessageBytes: e.REALTIME_MAX_MESSAGE_BYTES,
      maxBufferBytes: e.REALTIME_MAX_BUFFER_BYTES,
      replayHours: e.REALTIME_REPLAY_HOURS,
      pollMs: e.REALTIME_POLL_MS,
      pingMs: e.REALTIME_PING_MS,
      recheckMs: e.REALTIME_RECHECK_MS,
    },
    storageDriver: e.STORAGE_DRIVER,
    s3: s3Config(e),
    smtpUrl: e.SMTP_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    mailFrom: e.MAIL_FROM,
    corsOrigins,
    rateLimit: e.RATE_LIMIT === 'on',
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    webhookRetryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    webhookMaxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    webhookDisableAfter: e.WEBHOOK_DISABLE_AFTER,
    workflowRunRetentionDays: e.WORKFLOW_RUN_RETENTION_DAYS,
    usageFlushMs: e.USAGE_FLUSH_MS,
    usageRetentionDays: e.USAGE_RETENTION_DAYS,
    workflowMaxDepth: e.WORKFLOW_MAX_DEPTH,
    workflowRetryBaseMs: e.WORKFLOW_RETRY_BASE_MS,
    workflowStepTimeoutMs: e.WORKFLOW_STEP_TIMEOUT_MS,
    workflowFunctionTimeoutMs: e.WORKFLOW_FUNCTION_TIMEOUT_MS,
    workflowSchedulePollMs: e.WORKFLOW_SCHEDULE_POLL_MS,
    maxFileSize: e.MAX_FILE_SIZE,
    logLevel: e.LOG_LEVEL,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    dbPoolSize: e.DB_POOL_SIZE,
    countEstimateThreshold: e.COUNT_ESTIMATE_THRESHOLD,
    dataStatementTimeoutMs: e.DATA_STATEMENT_TIMEOUT_MS,
    viewStatementTimeoutMs: e.VIEW_STATEMENT_TIMEOUT_MS,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    importMaxBytes: e.IMPORT_MAX_BYTES,
    jobsEnabled: e.JOBS === 'on',
    jobsConcurrency: e.JOBS_CONCURRENCY,
  };
}
