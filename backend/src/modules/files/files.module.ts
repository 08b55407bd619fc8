import { Inject, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuthModule } from '../auth/auth.module';
import { BucketsController } from './buckets.controller';
import { FilesController } from './files.controller';
import { FilesRepository } from './files.repository';
import { FilesService } from './files.service';
import { ImageVariants } from './image-variants';
import { TUS_ROUTE, TusUploads } from './tus-uploads';
import { LocalStorageDriver } from './storage/local-storage.driver';
import { S3StorageDriver } from './storage/s3-storage.driver';
import { STORAGE_DRIVER, type StorageDriver } from './storage/storage-driver';

/** `STORAGE_DRIVER=local` (DATA_DIR/files) or `s3` (S3_* settings). */
export function createStorageDriver(config: AppConfig): StorageDriver {
  if (config.storageDriver === 's3' && config.s3) return new S3StorageDriver(config.s3);
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
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
  ) {}

  onModuleInit(): void {
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

  onModuleDestroy(): void {
    if (this.storage instanceof S3StorageDriver) this.storage.destroy();
  }
}
