import { Global, Module } from '@nestjs/common';
import { CacheSyncRepository } from './cache-sync.repository';
import { CacheSyncService } from './cache-sync.service';

/** Global: every module with a per-process cache registers its scope here. */
@Global()
@Module({
  providers: [CacheSyncService, CacheSyncRepository],
  exports: [CacheSyncService],
})
export class CacheSyncModule {}
