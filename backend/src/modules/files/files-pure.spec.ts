import { sniffContentType, typeAllowed } from './content-sniff';
import { cleanFilename } from './file-names';
import {
  signDownload,
  signingKey,
  signUploadGrant,
  verifyDownload,
  verifyUploadGrant,
} from './signed-url';

const key = signingKey('a-test-secret-that-is-long-enough-0123456789');
const PID = '11111111-1111-4111-8111-111111111111';
const FID = '22222222-2222-4222-8222-222222222222';
const NOW = Date.UTC(2030, 0, 1);
const exp = NOW / 1000 + 60;

describe('signed download URLs', () => {
  const sig = signDownload(key, PID, FID, exp, { width: '10' });
  it('verify when nothing changed', () => {
    expect(() =>
      verifyDownload(key, PID, FID, String(exp), sig, { width: '10' }, NOW),
    ).not.toThrow();
  });
  it.each([
    [
      'another file',
      PID,
      '33333333-3333-4333-8333-333333333333',
      String(exp),
      sig,
      { width: '10' },
    ],
    ['another project', FID, FID, String(exp), sig, { width: '10' }],
    ['a later expiry', PID, FID, String(exp + 1), sig, { width: '10' }],
    ['another variant', PID, FID, String(exp), sig, { width: '11' }],
    ['a changed signature', PID, FID, String(exp), `${sig.slice(0, -1)}A`, { width: '10' }],
    ['a malformed expiry', PID, FID, '1e9', sig, { width: '10' }],
  ])('refuse %s as SIGNED_URL_INVALID', (_, p, f, e, s, v) => {
    expect(() => verifyDownload(key, p, f, e, s, v, NOW)).toThrow(
      expect.objectContaining({ code: 'SIGNED_URL_INVALID', status: 403 }),
    );
  });
  it('refuse an expired one as SIGNED_URL_EXPIRED', () => {
    expect(() =>
      verifyDownload(key, PID, FID, String(exp), sig, { width: '10' }, NOW + 61_000),
    ).toThrow(expect.objectContaining({ code: 'SIGNED_URL_EXPIRED' }));
  });
  it('depend on the server secret', () => {
    const other = signingKey('another-secret-that-is-long-enough-0123456789');
    expect(signDownload(other, PID, FID, exp)).not.toBe(signDownload(key, PID, FID, exp));
  });
});

describe('signed upload grants', () => {
  const grant = {
    projectId: PID,
    bucket: 'b',
    filename: 'x.txt',
    contentType: null,
    expires: exp,
    issuer: { userId: null, appUserId: 'u1', apiKeyId: null },
  };
  it('round-trip, and refuse tampering, another project and expiry', () => {
    const token = signUploadGrant(key, grant);
    expect(verifyUploadGrant(key, PID, token, NOW)).toEqual(grant);
    const forged = Buffer.from(JSON.stringify({ ...grant, bucket: 'other' })).toString('base64url');
    expect(() => verifyUploadGrant(key, PID, `${forged}.${token.split('.')[1]}`, NOW)).toThrow(
      expect.objectContaining({ code: 'SIGNED_URL_INVALID' }),
    );
    expect(() => verifyUploadGrant(key, FID, token, NOW)).toThrow(
      expect.objectContaining({ code: 'SIGNED_URL_INVALID' }),
    );
    expect(() => verifyUploadGrant(key, PID, token, NOW + 61_000)).toThrow(
      expect.objectContaining({ code: 'SIGNED_URL_EXPIRED' }),
    );
  });
});

describe('content sniffing', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  it.each([
    ['a PNG declared as text', png, 'text/plain', 'x.txt', 'image/png'],
    ['HTML declared as PNG', Buffer.from('<html></html>'), 'image/png', 'x.png', 'text/plain'],
    ['CSV by declaration', Buffer.from('a,b\n1,2\n'), 'text/csv', 'x', 'text/csv'],
    ['JSON by extension', Buffer.from('{"a":1}'), null, 'x.json', 'application/json'],
    [
      'binary junk',
      Buffer.from([0, 1, 2, 3, 255, 0]),
      'image/png',
      'x.png',
      'application/octet-stream',
    ],
    ['an empty file', Buffer.alloc(0), 'text/plain', 'x.txt', 'application/octet-stream'],
  ])('%s', async (_, head, declared, name, expected) => {
    expect(await sniffContentType(head, declared, name)).toBe(expected);
  });
  it.each([
    [[], 'anything/else', true],
    [['image/*'], 'image/png', true],
    [['image/*'], 'imagex/png', false],
    [['application/pdf'], 'application/pdf', true],
    [['application/pdf'], 'text/plain', false],
  ])('allowed %j for %s: %s', (allowed, type, ok) => {
    expect(typeAllowed(allowed, type)).toBe(ok);
  });
});

describe('cleanFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Windows\\x.exe', 'x.exe'],
    ['a\r\nb.txt', 'ab.txt'],
    ['\u202egnp.exe', 'gnp.exe'],
    ['....', 'file'],
    ['', 'file'],
  ])('%j → %j', (raw, clean) => {
    expect(cleanFilename(raw)).toBe(clean);
  });
});
