import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { AppError } from '../../common/errors/app-error';

/** Version of the archive layout; a restore refuses any other. */
export const BACKUP_FORMAT_VERSION = 1;
/** One NDJSON part of a table holds at most this many bytes (each part is buffered once). */
export const DATA_PART_BYTES = 1024 * 1024;
/** A JSON entry (manifest, catalog, a file's metadata, checksums) is read whole: this caps it. */
export const JSON_ENTRY_MAX_BYTES = 32 * 1024 * 1024;
/** The largest archive a restore reads (compressed bytes). */
export const RESTORE_MAX_BYTES = 20 * 1024 * 1024 * 1024;

/**
 * Entry names, in archive order:
 *   manifest.json · catalog.json · files/<id>.json + files/<id>.bin (pairs) ·
 *   data/<collection>/<n>.ndjson · junctions/<collection>/<field>/<n>.ndjson ·
 *   roles/assignments.ndjson · checksums.json (sha256 of every entry before it).
 * Anything else (other names, `..`, absolute paths, links) is refused.
 */
const NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type ArchiveEntry =
  | { kind: 'manifest' }
  | { kind: 'catalog' }
  | { kind: 'fileMeta'; fileId: string }
  | { kind: 'fileBody'; fileId: string }
  | { kind: 'data'; collection: string; part: number }
  | { kind: 'junction'; collection: string; field: string; part: number }
  | { kind: 'assignments' }
  | { kind: 'checksums' };

/** What an entry name means, or a 400 naming it. */
export function parseEntryName(name: string): ArchiveEntry {
  const bad = () => badArchive(`The archive holds an unexpected entry '${name.slice(0, 200)}'`);
  if (name.includes('..') || name.startsWith('/') || name.includes('\\')) throw bad();
  if (name === 'manifest.json') return { kind: 'manifest' };
  if (name === 'catalog.json') return { kind: 'catalog' };
  if (name === 'checksums.json') return { kind: 'checksums' };
  if (name === 'roles/assignments.ndjson') return { kind: 'assignments' };
  const parts = name.split('/');
  if (parts[0] === 'files' && parts.length === 2) {
    const m = /^(.+)\.(json|bin)$/.exec(parts[1]);
    if (m && UUID.test(m[1]))
      return m[2] === 'json'
        ? { kind: 'fileMeta', fileId: m[1] }
        : { kind: 'fileBody', fileId: m[1] };
  }
  const part = (p: string | undefined) =>
    p && /^\d{6}\.ndjson$/.test(p) ? Number(p.slice(0, 6)) : -1;
  if (parts[0] === 'data' && parts.length === 3 && NAME.test(parts[1]) && part(parts[2]) >= 0)
    return { kind: 'data', collection: parts[1], part: part(parts[2]) };
  if (
    parts[0] === 'junctions' &&
    parts.length === 4 &&
    NAME.test(parts[1]) &&
    NAME.test(parts[2]) &&
    part(parts[3]) >= 0
  )
    return { kind: 'junction', collection: parts[1], field: parts[2], part: part(parts[3]) };
  throw bad();
}

export const partName = (n: number) => `${String(n).padStart(6, '0')}.ndjson`;

export function badArchive(detail: string): AppError {
  return AppError.badRequest(detail, [{ field: 'archive', rule: 'format', message: detail }]);
}

export interface BackupManifest {
  format: 'backendify-backup';
  format_version: number;
  backendify_version: string;
  created_at: string;
  project: { id: string; name: string };
  /** What the archive leaves out, in words, for whoever opens it. */
  excluded: string[];
}

/** Writes entries to a gzip'd tar stream, one at a time, hashing each for `checksums.json`. */
export class ArchiveWriter {
  readonly output: Readable;
  private readonly pack = tar.pack();
  private readonly sums: Record<string, string> = {};
  private readonly counts: Record<string, number> = {};

  constructor() {
    const gzip = createGzip();
    this.output = this.pack.pipe(gzip);
    this.pack.on('error', (err: Error) => gzip.destroy(err));
  }

  /** A whole entry from memory (JSON, one NDJSON part). */
  async add(name: string, body: Buffer | string): Promise<void> {
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    this.sums[name] = createHash('sha256').update(buf).digest('hex');
    await this.write({ name, size: buf.length }, Readable.from([buf]));
  }

  /** An entry streamed from `body`, which must yield exactly `size` bytes. */
  async addStream(name: string, size: number, body: Readable): Promise<void> {
    const hash = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb: TransformCallback) {
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    await this.write({ name, size }, body.pipe(tap));
    this.sums[name] = hash.digest('hex');
  }

  count(what: string, n: number): void {
    this.counts[what] = (this.counts[what] ?? 0) + n;
  }

  async finish(): Promise<void> {
    await this.add('checksums.json', JSON.stringify({ sha256: this.sums, counts: this.counts }));
    this.pack.finalize();
  }

  fail(err: Error): void {
    this.pack.destroy(err);
  }

  private async write(header: { name: string; size: number }, body: Readable): Promise<void> {
    const entry = this.pack.entry({ ...header, mode: 0o644, mtime: new Date() } as tar.Header);
    await pipeline(body, entry);
  }
}

/** Reads a whole (small) entry, refusing more than `max` bytes. */
export async function readEntry(stream: Readable, max = JSON_ENTRY_MAX_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw badArchive(`An archive entry is larger than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function parseJson<T>(buf: Buffer, what: string): T {
  try {
    return JSON.parse(buf.toString('utf8')) as T;
  } catch {
    throw badArchive(`The archive's ${what} is not valid JSON`);
  }
}

/** Counts bytes through it, failing with 413 past `max` (the upload is refused, not buffered). */
export function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max)
        cb(
          new AppError('PAYLOAD_TOO_LARGE', `The archive is larger than ${max} bytes`, [
            { field: 'archive', rule: 'max_size', message: `At most ${max} bytes` },
          ]),
        );
      else cb(null, chunk);
    },
  });
}
