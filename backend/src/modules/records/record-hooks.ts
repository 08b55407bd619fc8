import { Injectable } from '@nestjs/common';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import type { AccessContext } from '../access/access-context';

export interface BeforeWriteEvent {
  access: AccessContext;
  collection: CollectionMeta;
  mode: 'create' | 'update';
  /** Field name → value as sent. */
  payload: Record<string, unknown>;
  recordId?: unknown;
}

type BeforeWrite = (event: BeforeWriteEvent) => Promise<void>;

/** Lets other modules (validation rules, later policies on new rows) check writes before they run. */
@Injectable()
export class RecordHooks {
  private readonly beforeWriteHooks: BeforeWrite[] = [];

  onBeforeWrite(hook: BeforeWrite): void {
    this.beforeWriteHooks.push(hook);
  }

  async beforeWrite(event: BeforeWriteEvent): Promise<void> {
    for (const hook of this.beforeWriteHooks) await hook(event);
  }
}
