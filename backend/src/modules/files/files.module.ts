import { Inject, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuthModule } from '../auth/auth.module';
import { RecordHooks } from '../records/record-hooks';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { isUuid } from '../../common/util/uuid';
import { BucketsController } from './buckets.controller';
import { FilesController } from './files.controller';
import { FilesRepository } from './files.repository';
import { FilesService } from './files.service';
import { ImageVariants } from './image-variants';
import { TUS_ROUTE, TusUploads } from './tus-uploads';
import { LocalStorageDriver } from './storage/local-storage.driver';
import { STORAGE_DRIVER, type StorageDriver } from './storage/storage-driver';

type S3DriverModule = typeof import('./storage/s3-storage.driver');

/** `STORAGE_DRIVER=local` (DATA_DIR/files) or `s3` (S3_* settings); the AWS SDK loads only for s3. */
export function createStorageDriver(config: AppConfig): StorageDriver {
  if (config.storageDriver === 's3' && config.s3) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only s3 servers load the AWS SDK
    const { S3StorageDriver } = require('./storage/s3-storage.driver') as S3DriverModule;
    return new S3StorageDriver(config.s3);
  }
  return new LocalStorageDriver(join(config.dataDir, 'files'));
}

@Module({
  imports: [AuthModule],
  controllers: [BucketsController, FilesController],
  providers: [
    FilesService,
    FilesRepository,
    ImageVariants,
    TusUploads,
    { provide: STORAGE_DRIVER, inject: [APP_CONFIG], useFactory: createStorageDriver },
  ],
  exports: [FilesService],
})
export class FilesModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly tus: TusUploads,
    private readonly hooks: RecordHooks,
    private readonly files: FilesService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
  ) {}

  onModuleInit(): void {
    this.registerRecordHooks();
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    // Signed uploads take the raw bytes as a stream; nothing buffers them.
    if (!fastify.hasContentTypeParser('application/octet-stream'))
      fastify.addContentTypeParser('application/octet-stream', (_req, payload, done) =>
        done(null, payload),
      );
    // tus PATCH bodies are read by @tus/server from the raw request.
    fastify.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) =>
      done(null),
    );
    const handler = this.tus.handle.bind(this.tus);
    const methods = ['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'] as const;
    fastify.route({ method: [...methods], url: TUS_ROUTE, handler });
    fastify.route({ method: [...methods], url: `${TUS_ROUTE}/:uploadId`, handler });
  }

  /** `file` fields: links are checked on write, expanded on read, and may die with the record. */
  private registerRecordHooks(): void {
    const fileFields = (c: CollectionMeta) =>
      c.fields.filter((f) => f.type === 'file' && !f.isDeleted);
    this.hooks.onBeforeWrite(async ({ access, collection, payload }) => {
      const links: { field: string; id: string; bucket: string | null }[] = [];
      for (const f of fileFields(collection)) {
        const value = payload[f.name] ?? payload[f.column];
        // Non-uuid values are refused by the field type itself.
        if (typeof value === 'string' && isUuid(value))
          links.push({ field: f.name, id: value.toLowerCase(), bucket: f.options.bucket ?? null });
      }
      if (links.length > 0) await this.files.assertLinkable(access, links);
    });
    this.hooks.onAfterDelete(async ({ access, collection, record }) => {
      const ids = fileFields(collection)
        .filter((f) => f.options.delete_files_with_record === true)
        .map((f) => record[f.name])
        .filter((v): v is string => typeof v === 'string' && isUuid(v));
      if (ids.length > 0) await this.files.deleteByIds(access.projectId, ids);
    });
    this.hooks.onExpandFiles(({ access, records, fields }) =>
      this.files.expandFileFields(access.projectId, records, fields),
    );
  }

  onModuleDestroy(): void {
    (this.storage as StorageDriver & { destroy?: () => void }).destroy?.();
  }
}
