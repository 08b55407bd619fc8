import { Global, Module } from '@nestjs/common';
import { SchemaMigrator } from './schema-migrator';

@Global()
@Module({
  providers: [{ provide: SchemaMigrator, useFactory: () => new SchemaMigrator() }],
  exports: [SchemaMigrator],
})
export class SchemaEngineModule {}
