import { Global, Module } from '@nestjs/common';
import { CatalogWriterRepository } from './catalog-writer.repository';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';
import { SchemaChangeService } from './schema-change.service';

@Global()
@Module({
  providers: [CatalogService, CatalogRepository, CatalogWriterRepository, SchemaChangeService],
  exports: [CatalogService, CatalogWriterRepository, SchemaChangeService],
})
export class CatalogModule {}
