/**
 * Retry delays as multiples of WEBHOOK_RETRY_BASE_MS: with the default 10 s base the waits are
 * 10 s, 1 m, 5 m, 30 m, 2 h, 5 h, 10 h, 14 h — nine attempts over about 32 hours.
 */
export const RETRY_FACTORS = [1, 6, 30, 180, 720, 1800, 3600, 5040] as const;
export const DEFAULT_MAX_ATTEMPTS = RETRY_FACTORS.length + 1;
const JITTER = 0.2;
const MAX_RETRY_AFTER_MS = 6 * 3600_000;

/** The wait after failed attempt `attempt` (1-based), with ±20% jitter so retries do not march in step. */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random) {
  const factor = RETRY_FACTORS[Math.min(Math.max(attempt, 1), RETRY_FACTORS.length) - 1];
  const jitter = 1 + (random() * 2 - 1) * JITTER;
  return Math.max(1, Math.round(baseMs * factor * jitter));
}

/** A `Retry-After` header (seconds or HTTP date) as milliseconds from now, capped at 6 h; null if absent or bad. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
