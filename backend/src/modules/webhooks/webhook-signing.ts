import { createHmac, randomBytes } from 'node:crypto';

const WHSEC = 'whsec_';

/** A new secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return WHSEC + randomBytes(32).toString('base64');
}

/** The HMAC key: for `whsec_` secrets the decoded bytes (Standard Webhooks), otherwise the text itself. */
export function secretKey(secret: string): Buffer {
  return secret.startsWith(WHSEC)
    ? Buffer.from(secret.slice(WHSEC.length), 'base64')
    : Buffer.from(secret, 'utf8');
}

/**
 * Signature headers of one delivery: the original's `X-Webhook-Signature: sha256=<hex HMAC of
 * "timestamp.body">` and the Standard Webhooks trio (`v1,<base64 HMAC of "id.timestamp.body">`).
 */
export function signPayload(
  secret: string,
  id: string,
  timestampSec: number,
  body: string,
): Record<string, string> {
  const key = secretKey(secret);
  const legacy = createHmac('sha256', key).update(`${timestampSec}.${body}`).digest('hex');
  const standard = createHmac('sha256', key)
    .update(`${id}.${timestampSec}.${body}`)
    .digest('base64');
  return {
    'x-webhook-id': id,
    'x-webhook-timestamp': String(timestampSec),
    'x-webhook-signature': `sha256=${legacy}`,
    'webhook-id': id,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': `v1,${standard}`,
  };
}
