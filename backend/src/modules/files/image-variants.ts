import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type Sharp from 'sharp';
import { AppError } from '../../common/errors/app-error';
import type { FileRow } from './files.repository';
import { STORAGE_DRIVER, type StorageDriver } from './storage/storage-driver';

export const VARIANT_FORMATS = ['webp', 'avif', 'jpeg'] as const;
export const VARIANT_FITS = ['cover', 'contain', 'inside', 'outside', 'fill'] as const;
/** Sizes anyone who may read a file may ask for; any other size needs a signed URL. */
export const PRESET_SIZES: readonly number[] = [64, 128, 256, 512, 1024, 2048];
const MAX_SIDE = 4096;
/** Decoding bombs stop here (about a 10k × 10k image). */
const MAX_INPUT_PIXELS = 100_000_000;
const SOURCE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/tiff',
]);
const CONTENT_TYPES: Record<VariantFormat, string> = {
  webp: 'image/webp',
  avif: 'image/avif',
  jpeg: 'image/jpeg',
};

export type VariantFormat = (typeof VARIANT_FORMATS)[number];
export type VariantFit = (typeof VARIANT_FITS)[number];

export interface VariantRequest {
  width: number | null;
  height: number | null;
  fit: VariantFit;
  format: VariantFormat;
}

function side(raw: unknown, name: string): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIDE)
    throw AppError.validation(`${name} must be an integer from 1 to ${MAX_SIDE}`, [
      { field: name, rule: 'range', message: `1..${MAX_SIDE}` },
    ]);
  return n;
}

function oneOf<T extends string>(raw: unknown, allowed: readonly T[], name: string, def: T): T {
  if (raw === undefined || raw === null || raw === '') return def;
  if (!(allowed as readonly unknown[]).includes(raw))
    throw AppError.validation(`${name} must be one of ${allowed.join(', ')}`, [
      { field: name, rule: 'enum', message: `one of ${allowed.join(', ')}` },
    ]);
  return raw as T;
}

let sharpModule: typeof Sharp | null = null;

/**
 * sharp (and libvips with it) loads on the first variant, not at start, so a server that never
 * resizes does not carry it. Variants are cached in storage, so libvips's own cache only holds
 * memory, and one thread per image keeps a burst of variants from multiplying buffers.
 */
function loadSharp(): typeof Sharp {
  if (!sharpModule) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, see above
    const loaded = require('sharp') as typeof Sharp;
    loaded.cache(false);
    loaded.concurrency(1);
    sharpModule = loaded;
  }
  return sharpModule;
}

/** Resized copies of images via sharp, cached beside the original in storage. */
@Injectable()
export class ImageVariants {
  constructor(@Inject(STORAGE_DRIVER) private readonly storage: StorageDriver) {}

  /** The variant a download asks for, or null for the original. */
  parse(q: {
    width?: unknown;
    height?: unknown;
    fit?: unknown;
    format?: unknown;
  }): VariantRequest | null {
    const asked = [q.width, q.height, q.fit, q.format].some((v) => v !== undefined && v !== '');
    if (!asked) return null;
    const width = side(q.width, 'width');
    const height = side(q.height, 'height');
    return {
      width,
      height,
      fit: oneOf(q.fit, VARIANT_FITS, 'fit', width && height ? 'cover' : 'inside'),
      format: oneOf(q.format, VARIANT_FORMATS, 'format', 'webp'),
    };
  }

  isPreset(v: VariantRequest): boolean {
    const ok = (n: number | null) => n === null || PRESET_SIZES.includes(n);
    return ok(v.width) && ok(v.height);
  }

  /** The parameters a signed URL for this variant covers (so none can be changed). */
  signedParams(v: VariantRequest): Record<string, string> {
    const out: Record<string, string> = { fit: v.fit, format: v.format };
    if (v.width !== null) out.width = String(v.width);
    if (v.height !== null) out.height = String(v.height);
    return out;
  }

  private key(projectId: string, fileId: string, v: VariantRequest): string {
    return `${projectId}/variants/${fileId}/${v.width ?? 0}x${v.height ?? 0}-${v.fit}.${v.format}`;
  }

  /** The file id a variant key belongs to, or null when the key is not a variant. */
  fileIdOfKey(projectId: string, key: string): string | null {
    const m = new RegExp(`^${projectId}/variants/([0-9a-f-]{36})/`).exec(key);
    return m ? m[1] : null;
  }

  async get(
    f: FileRow,
    v: VariantRequest,
  ): Promise<{ body: Readable; size: number; contentType: string; etag: string }> {
    if (!SOURCE_TYPES.has(f.content_type))
      throw AppError.badRequest(`Image variants need an image; this file is ${f.content_type}`, [
        { field: 'format', rule: 'not_an_image', message: 'Only raster images can be resized' },
      ]);
    const key = this.key(f.project_id, f.id, v);
    let stat = await this.storage.stat(key);
    if (!stat) {
      const source = await this.storage.get(f.storage_key);
      if (!source) throw AppError.notFound('File content');
      const sharp = loadSharp();
      const transform = sharp({ limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize({
          width: v.width ?? undefined,
          height: v.height ?? undefined,
          fit: v.fit,
          withoutEnlargement: true,
        })
        .toFormat(v.format, v.format === 'avif' ? { effort: 2 } : {});
      source.once('error', (err) => transform.destroy(err));
      try {
        await this.storage.put(key, source.pipe(transform), CONTENT_TYPES[v.format]);
      } catch (err) {
        await this.storage.delete(key).catch(() => undefined);
        throw AppError.badRequest(`The image could not be converted: ${(err as Error).message}`);
      }
      stat = await this.storage.stat(key);
    }
    const body = stat ? await this.storage.get(key) : null;
    if (!stat || !body) throw AppError.notFound('File content');
    const tag = `${(f.checksum_sha256 ?? f.id).slice(0, 16)}-${v.width ?? 0}x${v.height ?? 0}-${v.fit}-${v.format}`;
    return { body, size: stat.size, contentType: CONTENT_TYPES[v.format], etag: `"${tag}"` };
  }

  /** Drops a file's cached variants (after the file is deleted). */
  async purge(projectId: string, fileId: string): Promise<void> {
    const prefix = `${projectId}/variants/${fileId}/`;
    try {
      for await (const o of this.storage.list(prefix)) await this.storage.delete(o.key);
    } catch {
      // Left-over variants show in the orphan report.
    }
  }
}
