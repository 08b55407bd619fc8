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

export interface AfterDeleteEvent {
  access: AccessContext;
  collection: CollectionMeta;
  /** The row as it was (visible columns, serialized). */
  record: Record<string, unknown>;
}

export interface ExpandFieldsEvent {
  access: AccessContext;
  collection: CollectionMeta;
  /** Names of `file` fields named in `expand=`. */
  fields: string[];
  records: Record<string, unknown>[];
}

type AfterDelete = (event: AfterDeleteEvent) => Promise<void>;
type ExpandFields = (event: ExpandFieldsEvent) => Promise<void>;

/** Lets other modules (validation rules, later policies on new rows) check writes before they run. */
@Injectable()
export class RecordHooks {
  private readonly beforeWriteHooks: BeforeWrite[] = [];
  private readonly afterDeleteHooks: AfterDelete[] = [];
  private expandFilesHook: ExpandFields | null = null;

  onBeforeWrite(hook: BeforeWrite): void {
    this.beforeWriteHooks.push(hook);
  }

  async beforeWrite(event: BeforeWriteEvent): Promise<void> {
    for (const hook of this.beforeWriteHooks) await hook(event);
  }

  /** Runs after the delete committed (e.g. a file field's `delete_files_with_record`). */
  onAfterDelete(hook: AfterDelete): void {
    this.afterDeleteHooks.push(hook);
  }

  async afterDelete(event: AfterDeleteEvent): Promise<void> {
    for (const hook of this.afterDeleteHooks) await hook(event);
  }

  /** The files module fills `expand=<file field>` (metadata and URL in place of the id). */
  onExpandFiles(hook: ExpandFields): void {
    this.expandFilesHook = hook;
  }

  async expandFiles(event: ExpandFieldsEvent): Promise<void> {
    if (event.fields.length === 0 || event.records.length === 0) return;
    if (this.expandFilesHook) await this.expandFilesHook(event);
  }
}
