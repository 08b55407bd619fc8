import type { OnDeleteAction, RelationOptions } from '@backendify/client';

export type { OnDeleteAction, Relation, RelationOption, RelationOptions } from '@backendify/client';

export type RelationKind = 'many_to_one' | 'many_to_many';

export interface RelationInput {
  name: string;
  display_name?: string;
  target_collection_id: string;
  relation_type: RelationKind;
  on_delete: OnDeleteAction;
  display_field?: string | null;
  is_required: boolean;
}

export const RELATION_KINDS: RelationKind[] = ['many_to_one', 'many_to_many'];
export const ON_DELETE_ACTIONS: OnDeleteAction[] = ['RESTRICT', 'CASCADE', 'SET NULL'];

/** Used until GET /relation-options answers (and if it ever leaves a value out). */
export const FALLBACK_OPTIONS: RelationOptions = {
  relation_types: [
    {
      value: 'many_to_one',
      label: 'Many to one',
      description: 'Each record points at one target record through a <name>_id column.',
    },
    {
      value: 'many_to_many',
      label: 'Many to many',
      description: 'Records link to any number of targets through a junction table.',
    },
  ],
  on_delete_actions: [
    { value: 'RESTRICT', label: 'Restrict', description: 'Refuse to delete a referenced target.' },
    { value: 'CASCADE', label: 'Cascade', description: 'Delete the records that point at it.' },
    {
      value: 'SET NULL',
      label: 'Set null',
      description: 'Clear the link; needs an optional relation.',
    },
  ],
};

export const KIND_LABEL: Record<RelationKind, string> = {
  many_to_one: 'many → one',
  many_to_many: 'many ↔ many',
};
