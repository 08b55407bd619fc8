import { Transform, type Readable } from 'node:stream';
import { tooLarge } from './json-body';

/** Passes bytes through until more than `limit` arrived, then fails with 413 PAYLOAD_TOO_LARGE. */
export function byteLimit(limit: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      size += chunk.length;
      if (size > limit) return callback(tooLarge(limit));
      callback(null, chunk);
    },
  });
}

/** Reads a whole stream into memory, at most `limit` bytes (413 beyond). */
export async function readLimited(source: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buf.length;
    if (size > limit) {
      source.resume();
      throw tooLarge(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}
