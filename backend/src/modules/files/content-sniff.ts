import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { fromBuffer } from 'file-type';
import { AppError } from '../../common/errors/app-error';

/** How many leading bytes decide a file's type (file-type reads at most this many). */
export const SNIFF_BYTES = 4100;

/** Declared types that are text and that no magic number can confirm. */
const TEXT_TYPES = new Set([
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/json',
  'application/xml',
  'text/xml',
]);

/** Types by extension for text files, whose bytes carry no signature. */
const TEXT_EXTENSIONS: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  json: 'application/json',
  xml: 'application/xml',
};

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  // Valid UTF-8 (a cut multi-byte sequence at the end is allowed).
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  return bad <= 1;
}

function extensionOf(name: string): string {
  const m = /\.([a-z0-9]{1,10})$/i.exec(name);
  return m ? m[1].toLowerCase() : '';
}

/**
 * The content type of a file from its first bytes: the signature's type when it has one, else a
 * declared (or by-extension) text type when the bytes are text, else application/octet-stream.
 * What the client claims never wins over what the bytes are.
 */
export async function sniffContentType(
  head: Buffer,
  declared: string | null | undefined,
  filename: string,
): Promise<string> {
  const found = await fromBuffer(head);
  if (found) return found.mime;
  if (head.length === 0) return 'application/octet-stream';
  const claimed = (declared ?? '').split(';')[0].trim().toLowerCase();
  const guess = TEXT_TYPES.has(claimed) ? claimed : TEXT_EXTENSIONS[extensionOf(filename)];
  if (looksLikeText(head)) return guess ?? 'text/plain';
  return 'application/octet-stream';
}

/** `image/*`, `image/png`, … against a type; an empty list allows every type. */
export function typeAllowed(allowed: readonly string[], type: string): boolean {
  if (allowed.length === 0) return true;
  const t = type.toLowerCase();
  return allowed.some((a) => {
    const p = a.toLowerCase();
    if (p === '*/*' || p === '*') return true;
    if (p.endsWith('/*')) return t.startsWith(p.slice(0, -1));
    return p === t;
  });
}

export interface InspectedUpload {
  size: number;
  sha256: string;
  contentType: string;
}

/**
 * A pass-through for an upload: holds the first bytes back until they name the file's type
 * (refusing a type the bucket does not allow before anything is stored), counts bytes against
 * the size limit and hashes the content. Memory stays at one sniff buffer.
 */
export class UploadInspector extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private decided = false;
  // Not `size`: upload libraries read `Body.size` as the total length.
  private bytesSeen = 0;
  private readonly hash = createHash('sha256');
  private type = 'application/octet-stream';

  constructor(
    private readonly opts: {
      maxBytes: number;
      declared: string | null | undefined;
      filename: string;
      allowed: readonly string[];
    },
  ) {
    super();
  }

  get result(): InspectedUpload {
    return { size: this.bytesSeen, sha256: this.hash.digest('hex'), contentType: this.type };
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytesSeen += chunk.length;
    if (this.bytesSeen > this.opts.maxBytes) {
      cb(
        new AppError(
          'PAYLOAD_TOO_LARGE',
          `File size exceeds maximum allowed size of ${this.opts.maxBytes} bytes`,
          [{ field: 'file', rule: 'max_size', message: `At most ${this.opts.maxBytes} bytes` }],
        ),
      );
      return;
    }
    this.hash.update(chunk);
    if (this.decided) {
      cb(null, chunk);
      return;
    }
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) {
      cb();
      return;
    }
    this.decide().then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.decided) {
      cb();
      return;
    }
    this.decide().then(() => cb(), cb);
  }

  private async decide(): Promise<void> {
    const all = Buffer.concat(this.head);
    this.head = [];
    this.type = await sniffContentType(
      all.subarray(0, SNIFF_BYTES),
      this.opts.declared,
      this.opts.filename,
    );
    if (!typeAllowed(this.opts.allowed, this.type)) {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `File type '${this.type}' is not allowed. Allowed: ${this.opts.allowed.join(', ')}`,
        [{ field: 'file', rule: 'allowed_types', message: `The content is ${this.type}` }],
      );
    }
    this.decided = true;
    this.push(all);
  }
}
