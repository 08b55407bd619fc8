import { Global, Module } from '@nestjs/common';
import { CatalogWriter } from './catalog-writer';
import { CatalogWriterRepository } from './catalog-writer.repository';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';
import { SchemaChangeService } from './schema-change.service';

@Global()
@Module({
  providers: [
    CatalogService,
    CatalogRepository,
    CatalogWriterRepository,
    CatalogWriter,
    SchemaChangeService,
  ],
  exports: [CatalogService, CatalogWriter, SchemaChangeService],
})
export class CatalogModule {}
