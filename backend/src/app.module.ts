import { type DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { CatalogModule } from './modules/catalog/catalog.module';
import { CollectionsModule } from './modules/collections/collections.module';
import { FieldsModule } from './modules/fields/fields.module';
import { RecordsModule } from './modules/records/records.module';
import { ApiKeysModule } from './modules/api-keys/api-keys.module';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { ProjectsModule } from './modules/projects/projects.module';
import { RelationsModule } from './modules/relations/relations.module';
import { SchemaEvolutionModule } from './modules/schema-evolution/schema-evolution.module';
import { SchemaEngineModule } from './schema-engine/schema-engine.module';
import { ValidationsModule } from './modules/validations/validations.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: 100 }] }),
        DatabaseModule,
        SchemaEngineModule,
        HealthModule,
        AuthModule,
        ProjectsModule,
        ApiKeysModule,
        CatalogModule,
        CollectionsModule,
        FieldsModule,
        ValidationsModule,
        RelationsModule,
        SchemaEvolutionModule,
        RecordsModule,
      ],
    };
  }
}
