import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';

/** The longest a signed URL may live (7 days, as S3 presigned URLs). */
export const MAX_SIGNED_TTL_SECONDS = 7 * 24 * 3600;

/** One key per purpose, derived from the server secret, so a file signature is nothing else. */
export function signingKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('backendify:files:signed-url:v1').digest();
}

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function canonical(parts: Readonly<Record<string, string>>): string {
  return Object.keys(parts)
    .sort()
    .map((k) => `${k}=${parts[k]}`)
    .join('&');
}

/** Signs what a download URL names: project, file, expiry and any variant parameters. */
export function signDownload(
  key: Buffer,
  projectId: string,
  fileId: string,
  expires: number,
  variant: Readonly<Record<string, string>> = {},
): string {
  return mac(key, `download\n${projectId}\n${fileId}\n${expires}\n${canonical(variant)}`);
}

function signatureError(code: 'SIGNED_URL_INVALID' | 'SIGNED_URL_EXPIRED', detail: string) {
  return new AppError(code, detail, [{ field: 'sig', rule: code.toLowerCase(), message: detail }]);
}

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks `expires` and `sig` of a download; throws 403 SIGNED_URL_INVALID / SIGNED_URL_EXPIRED. */
export function verifyDownload(
  key: Buffer,
  projectId: string,
  fileId: string,
  expiresRaw: string,
  sig: string,
  variant: Readonly<Record<string, string>>,
  now: number = Date.now(),
): void {
  if (!/^[0-9]{1,12}$/.test(expiresRaw))
    throw signatureError('SIGNED_URL_INVALID', 'The signed URL is malformed');
  const expected = signDownload(key, projectId, fileId, Number(expiresRaw), variant);
  if (!sameMac(expected, sig))
    throw signatureError('SIGNED_URL_INVALID', 'The signed URL signature does not match');
  if (Number(expiresRaw) * 1000 <= now)
    throw signatureError('SIGNED_URL_EXPIRED', 'The signed URL has expired');
}

/** What a signed upload URL lets its holder do (the issuer's identity goes with it). */
export interface UploadGrant {
  projectId: string;
  bucket: string;
  filename: string;
  contentType: string | null;
  /** Unix seconds. */
  expires: number;
  /** Who issued it: the upload is recorded as theirs. */
  issuer: { userId: string | null; appUserId: string | null; apiKeyId: string | null };
}

/** `<base64url JSON>.<mac>`: self-contained, so any API process can check it. */
export function signUploadGrant(key: Buffer, grant: UploadGrant): string {
  const body = Buffer.from(JSON.stringify(grant)).toString('base64url');
  return `${body}.${mac(key, `upload\n${body}`)}`;
}

export function verifyUploadGrant(
  key: Buffer,
  projectId: string,
  token: string,
  now: number = Date.now(),
): UploadGrant {
  const dot = token.indexOf('.');
  if (dot <= 0) throw signatureError('SIGNED_URL_INVALID', 'The signed URL is malformed');
  const body = token.slice(0, dot);
  if (!sameMac(mac(key, `upload\n${body}`), token.slice(dot + 1)))
    throw signatureError('SIGNED_URL_INVALID', 'The signed URL signature does not match');
  let grant: UploadGrant;
  try {
    grant = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as UploadGrant;
  } catch {
    throw signatureError('SIGNED_URL_INVALID', 'The signed URL is malformed');
  }
  if (grant.projectId !== projectId)
    throw signatureError('SIGNED_URL_INVALID', 'The signed URL is for another project');
  if (grant.expires * 1000 <= now)
    throw signatureError('SIGNED_URL_EXPIRED', 'The signed URL has expired');
  return grant;
}
