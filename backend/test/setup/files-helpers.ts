import { deflateSync } from 'node:zlib';

/** A real PNG of `w`×`h` pixels (one colour), built in memory. */
export function pngOf(w = 4, h = 4, rgb: [number, number, number] = [200, 30, 30]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(w).fill(rgb).flat())]);
  const raw = Buffer.concat(Array(h).fill(row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface UploadOptions {
  bucket?: string;
  isPublic?: boolean;
  filename?: string;
  type?: string;
  token?: string;
  apiKey?: string;
  /** Put the bucket field after the file (the original accepted any order). */
  fieldsAfter?: boolean;
}

/** A multipart upload as a browser or curl sends it. */
export async function upload(
  baseUrl: string,
  pid: string,
  body: Buffer | string,
  o: UploadOptions = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs read arbitrary JSON bodies
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  const fields = () => {
    if (o.bucket !== undefined) form.append('bucket', o.bucket);
    if (o.isPublic !== undefined) form.append('is_public', String(o.isPublic));
  };
  if (!o.fieldsAfter) fields();
  form.append(
    'file',
    new Blob([body], { type: o.type ?? 'application/octet-stream' }),
    o.filename ?? 'file.bin',
  );
  if (o.fieldsAfter) fields();
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.apiKey) headers['x-api-key'] = o.apiKey;
  const res = await fetch(`${baseUrl}/api/projects/${pid}/files/upload`, {
    method: 'POST',
    body: form,
    headers,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}
