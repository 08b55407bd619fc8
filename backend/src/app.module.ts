import { type DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { RedisThrottlerStorage } from './common/http/redis-throttler.storage';
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
import { PoliciesModule } from './modules/policies/policies.module';
import { RbacModule } from './modules/rbac/rbac.module';
import { AppAuthModule } from './modules/app-auth/app-auth.module';
import { AuthSettingsModule } from './modules/auth-settings/auth-settings.module';
import { MailModule } from './modules/mail/mail.module';
import { JobsModule } from './jobs/jobs.module';
import { AuditModule } from './modules/audit/audit.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { WorkflowsModule } from './modules/workflows/workflows.module';
import { ChangeLogModule } from './modules/change-log/change-log.module';
import { CacheSyncModule } from './modules/cache-sync/cache-sync.module';
import { RealtimeModule } from './modules/realtime/realtime.module';
import { ViewsModule } from './modules/views/views.module';
import { FilesModule } from './modules/files/files.module';
import { TypesModule } from './modules/types/types.module';
import { SqlConsoleModule } from './modules/sql-console/sql-console.module';
import { BackupsModule } from './modules/backups/backups.module';
import { UsageModule } from './modules/usage/usage.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: 100 }],
            // Several API processes share counts through Redis; one process keeps them in memory.
            storage: c.redisUrl ? new RedisThrottlerStorage(c.redisUrl) : undefined,
          }),
        }),
        DatabaseModule,
        JobsModule,
        ChangeLogModule,
        CacheSyncModule,
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
        RbacModule,
        PoliciesModule,
        MailModule,
        AuthSettingsModule,
        AppAuthModule,
        AuditModule,
        WebhooksModule,
        RealtimeModule,
        WorkflowsModule,
        ViewsModule,
        FilesModule,
        TypesModule,
        SqlConsoleModule,
        BackupsModule,
        UsageModule,
      ],
    };
  }
}
