import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AuthModule } from '../auth/auth.module';
import { AuthSettingsModule } from '../auth-settings/auth-settings.module';
import { CollectionsModule } from '../collections/collections.module';
import { FieldsModule } from '../fields/fields.module';
import { FilesModule } from '../files/files.module';
import { PoliciesModule } from '../policies/policies.module';
import { ProjectsModule } from '../projects/projects.module';
import { RbacModule } from '../rbac/rbac.module';
import { RelationsModule } from '../relations/relations.module';
import { ValidationsModule } from '../validations/validations.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { ARCHIVE_TYPES, BackupsController, RestoreController } from './backups.controller';
import { BackupsRepository } from './backups.repository';
import { BackupsService } from './backups.service';

@Module({
  imports: [
    AuthModule,
    ProjectsModule,
    CollectionsModule,
    FieldsModule,
    RelationsModule,
    ValidationsModule,
    PoliciesModule,
    RbacModule,
    AuthSettingsModule,
    WebhooksModule,
    WorkflowsModule,
    FilesModule,
  ],
  controllers: [RestoreController, BackupsController],
  providers: [BackupsService, BackupsRepository],
  exports: [BackupsService],
})
export class BackupsModule implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    // A restore streams its archive from the request; nothing buffers it.
    for (const type of ARCHIVE_TYPES)
      if (!fastify.hasContentTypeParser(type))
        fastify.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
  }
}
