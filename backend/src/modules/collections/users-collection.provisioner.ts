import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FieldMeta } from '../../schema-engine/catalog.types';
import { USERS_TABLE } from '../../schema-engine/schema-op';
import { CatalogWriterRepository } from '../catalog/catalog-writer.repository';
import { ProjectProvisioningHooks } from '../projects/project-provisioning.hooks';

const systemField = (name: string, displayName: string, over: Partial<FieldMeta>): FieldMeta => ({
  id: randomUUID(),
  name,
  displayName,
  column: name,
  type: 'string',
  options: {},
  isRequired: false,
  isUnique: false,
  isIndexed: false,
  isHidden: false,
  isSystem: true,
  isDeleted: false,
  defaultValue: null,
  ...over,
});

/** Writes the `_users` system collection's catalog rows inside the project-creation transaction. */
@Injectable()
export class UsersCollectionProvisioner implements OnModuleInit {
  constructor(
    private readonly hooks: ProjectProvisioningHooks,
    private readonly writer: CatalogWriterRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.register(async (_m, client, ctx) => {
      const id = randomUUID();
      await this.writer.insertCollection(client, {
        id,
        projectId: ctx.projectId,
        name: USERS_TABLE,
        displayName: 'Users',
        description: 'App users of this project (system collection)',
        icon: 'users',
        sqlTableName: USERS_TABLE,
        isSystem: true,
        displayField: 'email',
      });
      const fields = [
        systemField('email', 'Email', { isRequired: true, isUnique: true, isIndexed: true }),
        systemField('password_hash', 'Password hash', { isHidden: true }),
        systemField('is_email_verified', 'Email verified', {
          type: 'bool',
          isRequired: true,
          defaultValue: 'false',
        }),
        systemField('is_disabled', 'Disabled', {
          type: 'bool',
          isRequired: true,
          defaultValue: 'false',
        }),
      ];
      for (const [i, f] of fields.entries())
        await this.writer.insertField(client, id, f, { position: i + 1 });
    });
  }
}
