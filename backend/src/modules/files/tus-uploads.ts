import { createReadStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Server, type DataStore, type ServerOptions } from '@tus/server';
import { FileStore } from '@tus/file-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import { ERROR_TITLES } from '../../common/errors/error-codes';
import { isUuid } from '../../common/util/uuid';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { AccessContext } from '../access/access-context';
import { roleAtLeast } from '../projects/projects.service';
import { DataPrincipalResolver } from '../records/data-principal.resolver';
import type { BucketRow } from './files.repository';
import { FilesService } from './files.service';
import { STORAGE_DRIVER, type StorageDriver } from './storage/storage-driver';

export const TUS_ROUTE = '/api/projects/:projectId/files/tus';

interface TusContext {
  access: AccessContext;
  bucket?: BucketRow;
}

/** tus `Upload-Metadata`: `key base64,key base64`. */
export function parseUploadMetadata(header: string | undefined): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const pair of (header ?? '').split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (!key) continue;
    out[key] = value === undefined ? null : Buffer.from(value, 'base64').toString('utf8');
  }
  return out;
}

const tusError = (status: number, body: string) => ({ status_code: status, body });

/** The file id of a tus upload id: `<uuid>` on disk, `<project>/<uuid>` (its storage key) on S3. */
const fileIdOf = (uploadId: string) => uploadId.slice(uploadId.lastIndexOf('/') + 1);

/**
 * Resumable uploads (tus 1.0, `@tus/server`) at `/api/projects/{pid}/files/tus`. With the local
 * driver, bytes are staged under `DATA_DIR/tus` (their offsets survive restarts), then stream
 * through the files checks into storage when complete. With the s3 driver, `@tus/s3-store` writes
 * the parts straight into the bucket as one multipart upload at the file's own storage key
 * (`<project>/<uuid>`, with `<key>.info` holding the tus state), so any API process can resume
 * an upload that another started; when complete the object is read once in place for the same
 * checks. The caller is authenticated on every request, and only the principal that started an
 * upload may continue it.
 */
@Injectable()
export class TusUploads implements OnModuleInit {
  private server!: Server;
  private store!: DataStore;
  private readonly directory: string;
  private readonly inBucket: boolean;
  private readonly context = new WeakMap<IncomingMessage, TusContext>();
  private readonly log = new Logger('TusUploads');

  constructor(
    private readonly files: FilesService,
    private readonly principals: DataPrincipalResolver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
  ) {
    this.directory = join(config.dataDir, 'tus');
    this.inBucket = storage.name === 's3' && config.s3 !== null;
  }

  onModuleInit(): void {
    this.store = this.createStore();
    const options: Omit<ServerOptions, 'locker'> & { datastore: DataStore } = {
      path: '/api/projects/files/tus',
      datastore: this.store,
      allowedOrigins: this.config.corsOrigins,
      allowedHeaders: ['authorization', 'x-api-key'],
      namingFunction: (req) =>
        this.inBucket
          ? `${this.context.get(req)?.access.projectId ?? ''}/${randomUUID()}`
          : randomUUID(),
      maxSize: (req) => {
        const b = this.context.get(req)?.bucket;
        return b ? Number(b.max_size_bytes) : this.config.maxFileSize;
      },
      getFileIdFromRequest: (req) => {
        const m = /\/files\/tus\/([0-9a-fA-F-]{36})(?:[?#]|$)/.exec(req.url ?? '');
        if (!m) return undefined;
        const id = m[1].toLowerCase();
        return this.inBucket ? `${this.context.get(req)?.access.projectId ?? ''}/${id}` : id;
      },
      generateUrl: (req, { proto, host, id }) => {
        const pid = this.context.get(req)?.access.projectId ?? '';
        return `${proto}://${host}/api/projects/${pid}/files/tus/${fileIdOf(id)}`;
      },
      onUploadCreate: async (req, res, upload) => {
        const ctx = this.context.get(req);
        if (!ctx?.bucket) throw tusError(400, 'Missing bucket\n');
        await this.files.beginResumable(ctx.access, ctx.bucket, fileIdOf(upload.id), {
          filename: upload.metadata?.filename ?? upload.metadata?.name ?? null,
          filetype: upload.metadata?.filetype ?? null,
        });
        return res;
      },
      onUploadFinish: async (req, res, upload) => {
        const ctx = this.context.get(req);
        if (!ctx) throw tusError(500, 'Lost upload context\n');
        try {
          // On S3 the object is already at its storage key; on disk it is staged and copied in.
          const staged = this.inBucket ? null : createReadStream(join(this.directory, upload.id));
          const f = await this.files.finishResumable(ctx.access, fileIdOf(upload.id), staged);
          res.setHeader('Backendify-File-Id', f.id);
        } catch (err) {
          const e = err instanceof AppError ? err : null;
          this.log.warn(`tus upload ${upload.id} refused: ${(err as Error).message}`);
          await this.forget(upload.id);
          throw tusError(e?.status ?? 500, `${e?.detail ?? 'Upload could not be stored'}\n`);
        }
        await this.forget(upload.id);
        return res;
      },
    };
    this.server = new Server(options as ServerOptions & { datastore: DataStore });
  }

  private createStore(): DataStore {
    if (this.inBucket && this.config.s3) {
      // Loaded only for s3, like the driver, so a local server does not carry the AWS SDK.
      /* eslint-disable @typescript-eslint/no-require-imports -- lazy, see above */
      const { S3Store } = require('@tus/s3-store') as typeof import('@tus/s3-store');
      const { s3ClientConfig } =
        require('./storage/s3-storage.driver') as typeof import('./storage/s3-storage.driver');
      /* eslint-enable @typescript-eslint/no-require-imports */
      return new S3Store({
        partSize: 8 * 1024 * 1024,
        // Parts are split to temp files on disk; a few in flight keep memory flat.
        maxConcurrentPartUploads: 4,
        useTags: false,
        s3ClientConfig: { ...s3ClientConfig(this.config.s3), bucket: this.config.s3.bucket },
      });
    }
    mkdirSync(this.directory, { recursive: true });
    return new FileStore({ directory: this.directory });
  }

  /** Drops the tus bookkeeping of a finished (or refused) upload, never the stored file. */
  private async forget(uploadId: string): Promise<void> {
    if (this.inBucket) await this.storage.delete(`${uploadId}.info`).catch(() => undefined);
    else await this.store.remove(uploadId).catch(() => undefined);
  }

  /** The Fastify handler for every tus method on both routes. */
  async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.hijack();
    const raw = reply.raw;
    // A hijacked reply sends none of the headers the hooks set (CORS for apps on other origins,
    // request id, security headers): hand them to the raw response that tus writes. CORS is the
    // one policy of common/http/cors.ts, so tus's own Access-Control-* headers are dropped.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) raw.setHeader(name, value as string | number | string[]);
    }
    const setHeader = raw.setHeader.bind(raw);
    raw.setHeader = (name: string, value: string | number | readonly string[]) =>
      name.toLowerCase().startsWith('access-control-') ? raw : setHeader(name, value);
    try {
      if (req.method !== 'OPTIONS') this.context.set(req.raw, await this.authorize(req));
      await this.server.handle(req.raw, raw);
    } catch (err) {
      const e =
        err instanceof AppError ? err : new AppError('INTERNAL', 'The upload request failed');
      if (!(err instanceof AppError)) this.log.error(err);
      if (!raw.headersSent) {
        raw.writeHead(e.status, {
          'content-type': 'application/problem+json',
          'tus-resumable': '1.0.0',
        });
        raw.end(
          JSON.stringify({
            type: 'about:blank',
            title: ERROR_TITLES[e.code],
            status: e.status,
            detail: e.detail,
            code: e.code,
            ...(e.errors ? { errors: e.errors } : {}),
          }),
        );
      }
      req.raw.resume();
    }
  }

  private async authorize(req: FastifyRequest): Promise<TusContext> {
    const projectId = String((req.params as Record<string, string>).projectId ?? '').toLowerCase();
    if (!isUuid(projectId)) throw AppError.notFound('Project');
    const header = req.headers.authorization;
    const bearer = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (header && !bearer) throw AppError.unauthenticated('Invalid authorization header');
    const key = req.headers['x-api-key'];
    const { principal } = await this.principals.resolve(projectId, {
      token: bearer ? bearer[1] : null,
      apiKey: typeof key === 'string' && key ? key : null,
    });
    if (principal.kind === 'admin' && !roleAtLeast(principal.role, 'developer'))
      throw AppError.forbidden('This action needs the developer role or higher');
    const access: AccessContext = {
      projectId,
      principal,
      ip: req.ip ?? null,
      userAgent: (req.headers['user-agent'] ?? '').slice(0, 512) || null,
    };
    const uploadId = (req.params as Record<string, string>).uploadId;
    if (req.method === 'POST' && !uploadId) {
      const meta = parseUploadMetadata(req.headers['upload-metadata'] as string | undefined);
      const bucket = await this.files.bucketForUpload(access, meta.bucket ?? undefined);
      this.files.assertMayWrite(access, bucket);
      return { access, bucket };
    }
    if (!uploadId || !(await this.files.resumableOf(access, uploadId)))
      throw AppError.notFound('Upload');
    return { access };
  }
}
