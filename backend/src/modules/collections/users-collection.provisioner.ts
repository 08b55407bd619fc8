import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FieldMeta } from '../../schema-engine/catalog.types';
import { USERS_TABLE } from '../../schema-engine/schema-op';
import { CatalogWriter } from '../catalog/catalog-writer';
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
    private readonly writer: CatalogWriter,
  ) {}

  onModuleInit(): void {
    this.hooks.register(async (_m, client, ctx) => {
      const id = randomUUID();
      const meta = this.writer.in(client, ctx.projectId);
      await meta.insertCollection({
        id,
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
      for (const [i, f] of fields.entries()) await meta.insertField(id, f, { position: i + 1 });
    });
  }
}
