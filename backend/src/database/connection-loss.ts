/**
 * Whether an error is PostgreSQL (or the network) dropping a connection: admin shutdown or
 * termination (57P01–57P03), too many clients (53300), connection exceptions (class 08), or
 * node-postgres's own "terminated"/"not queryable" errors. A service keeps running through
 * these; the statements in flight fail and the pools reconnect.
 */
export function isConnectionLoss(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^57P0[123]$/.test(code) || code === '53300' || code.startsWith('08')) return true;
    if (['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  }
  const message = (err as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection error and is not queryable|Client was closed/i.test(message)
  );
}
