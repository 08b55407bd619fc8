import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';

export interface ProvisionContext {
  projectId: string;
  schema: string;
  actorUserId: string;
}

type Hook = (m: EntityManager, client: PoolClient, ctx: ProvisionContext) => Promise<void>;

/** Lets other modules add rows (e.g. the `_users` catalog entry) inside the project-creation transaction. */
@Injectable()
export class ProjectProvisioningHooks {
  private readonly hooks: Hook[] = [];

  register(hook: Hook): void {
    this.hooks.push(hook);
  }

  async afterSchemaCreated(
    m: EntityManager,
    client: PoolClient,
    ctx: ProvisionContext,
  ): Promise<void> {
    for (const hook of this.hooks) await hook(m, client, ctx);
  }
}
