import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  parseRetryAfter,
  retryDelayMs,
  RETRY_FACTORS,
  DEFAULT_MAX_ATTEMPTS,
} from './retry-schedule';
import { SecretBox } from '../../common/crypto/secret-box';
import { generateSecret, signPayload } from './webhook-signing';
import { EVENT_PATTERN, subscribes, webhookEventName } from './webhook-events';

describe('webhook event names', () => {
  it.each([
    ['record', 'create', 'record.created'],
    ['record', 'update', 'record.updated'],
    ['record', 'delete', 'record.deleted'],
    ['schema', 'schema.create_table', 'collection.created'],
    ['schema', 'schema.rename_table', 'collection.updated'],
    ['schema', 'schema.drop_table', 'collection.deleted'],
    ['schema', 'schema.add_column', 'field.created'],
    ['schema', 'schema.add_relation_column', 'field.created'],
    ['schema', 'schema.change_column_type', 'field.updated'],
    ['schema', 'schema.drop_column', 'field.deleted'],
    ['schema', 'schema.create_index', null],
    ['auth', 'auth.login', 'auth.login'],
    ['admin', 'policy.create', null],
  ] as const)('%s %s → %s', (kind, action, expected) => {
    expect(webhookEventName({ kind, action })).toBe(expected);
  });

  it.each([
    '*',
    'record.*',
    'record.created',
    'field.*',
    'auth.password_reset',
    'collection.deleted',
  ])('accepts the pattern %s', (p) => expect(EVENT_PATTERN.test(p)).toBe(true));
  it.each([
    '',
    'record',
    'record.',
    'policy.create',
    'RECORD.created',
    '**',
    'record.created;drop',
    'auth.*.*',
  ])('refuses the pattern %j', (p) => expect(EVENT_PATTERN.test(p)).toBe(false));

  it('matches exact names, families, `*` and the collection filter', () => {
    const all = { events: ['*'], collections: [] };
    expect(subscribes(all, 'record.created', 'posts')).toBe(true);
    expect(subscribes({ events: ['record.*'], collections: [] }, 'record.deleted', 'x')).toBe(true);
    expect(subscribes({ events: ['record.*'], collections: [] }, 'field.created', 'x')).toBe(false);
    expect(subscribes({ events: ['record.updated'], collections: [] }, 'record.created', 'x')).toBe(
      false,
    );
    const posts = { events: ['*'], collections: ['posts'] };
    expect(subscribes(posts, 'record.created', 'posts')).toBe(true);
    expect(subscribes(posts, 'record.created', 'comments')).toBe(false);
    expect(subscribes(posts, 'field.created', 'posts')).toBe(true);
    // Auth events have no collection; a collection filter does not hide them.
    expect(subscribes(posts, 'auth.login', null)).toBe(true);
  });
});

describe('retry schedule', () => {
  const mid = () => 0.5; // no jitter
  it('backs off from the base through at least 8 retries spanning more than 24 h', () => {
    const base = 10_000;
    const waits = RETRY_FACTORS.map((_, i) => retryDelayMs(i + 1, base, mid));
    expect(waits.slice(0, 5)).toEqual([10_000, 60_000, 300_000, 1_800_000, 7_200_000]);
    expect(DEFAULT_MAX_ATTEMPTS).toBeGreaterThanOrEqual(9);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3600_000);
  });
  it('jitters within ±20% and keeps the last wait for later attempts', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(800);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1200);
    expect(retryDelayMs(50, 1, mid)).toBe(RETRY_FACTORS[RETRY_FACTORS.length - 1]);
    expect(retryDelayMs(1, 1, () => 0)).toBeGreaterThanOrEqual(1);
  });
  it('reads Retry-After as seconds or an HTTP date, capped at 6 h', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('999999', now)).toBe(6 * 3600_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('signatures', () => {
  const body = JSON.stringify({ id: '42', event: 'record.created', record: { a: 1 } });
  it('a generated whsec_ secret verifies with the standardwebhooks library', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const ts = Math.floor(Date.now() / 1000);
    const h = signPayload(secret, '42', ts, body);
    expect(new Webhook(secret).verify(body, h)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body + ' ', h)).toThrow();
    expect(() => new Webhook(generateSecret()).verify(body, h)).toThrow();
  });
  it('X-Webhook-Signature is sha256= hex HMAC of "timestamp.body" under the same key', () => {
    const secret = 'a-plain-secret-of-enough-length';
    const h = signPayload(secret, '7', 1700000000, body);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(h['x-webhook-signature']).toBe(`sha256=${expected}`);
    expect(h['x-webhook-id']).toBe('7');
    expect(h['webhook-id']).toBe('7');
    expect(h['x-webhook-timestamp']).toBe('1700000000');
  });
});

describe('SecretBox', () => {
  it('opens what it sealed, with a fresh IV each time, and refuses tampering or another key', () => {
    const box = new SecretBox('s'.repeat(40));
    const a = box.seal('whsec_abc');
    const b = box.seal('whsec_abc');
    expect(a).not.toBe(b);
    expect(a).not.toContain('abc');
    expect(box.open(a)).toBe('whsec_abc');
    const parts = a.split(':');
    const flipped = Buffer.from(parts[3], 'base64');
    flipped[0] ^= 1;
    expect(() => box.open([...parts.slice(0, 3), flipped.toString('base64')].join(':'))).toThrow();
    expect(() => new SecretBox('t'.repeat(40)).open(a)).toThrow();
    expect(() => box.open('garbage')).toThrow();
  });
});
