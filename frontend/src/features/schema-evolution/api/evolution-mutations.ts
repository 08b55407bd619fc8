import { schemaKeys } from '@/lib/schema-meta';
import { toast } from '@/components/ui/toast';
import { useApiMutation } from '@/lib/use-api-mutation';
import {
  OPERATION_LABEL,
  type EvolutionOperation,
  type EvolutionParams,
  type PendingChange,
} from '../types';
import { evolutionApi } from './evolution-query';
import { evolutionKeys } from './keys';

const stale = (projectId: string) => [
  evolutionKeys.project(projectId),
  schemaKeys.project(projectId),
];

export interface ChangeVars {
  collectionId: string;
  operation: EvolutionOperation;
  params: EvolutionParams;
}

/** The direct endpoint of each operation (applies at once). */
function directRequest(projectId: string, { collectionId: c, operation, params }: ChangeVars) {
  const api = evolutionApi(projectId);
  const f = params.field_id ?? '';
  const names = { new_name: params.new_name ?? '', new_display_name: params.new_display_name };
  switch (operation) {
    case 'rename_table':
      return api.renameCollection(c, names);
    case 'rename_column':
      return api.renameField(c, f, names);
    case 'soft_delete_column':
      return api.softDeleteField(c, f);
    case 'restore_column':
      return api.restoreField(c, f);
    case 'drop_column':
      return api.dropField(c, f, { force: !!params.force });
    case 'change_column_type':
      return api.changeFieldType(c, f, { new_type: params.new_type ?? '' });
  }
}

/** The operation dialog shows apply/queue errors inline; the rest toast them. */
export function useApplyNow(projectId: string) {
  return useApiMutation({
    mutationFn: (vars: ChangeVars) => directRequest(projectId, vars),
    invalidate: stale(projectId),
    success: (vars) => `${OPERATION_LABEL[vars.operation]}: applied`,
    errorToast: false,
  });
}

export function useQueueChange(projectId: string) {
  return useApiMutation({
    mutationFn: ({ collectionId, operation, params }: ChangeVars) =>
      evolutionApi(projectId).queue({ collection_id: collectionId, operation, params }),
    invalidate: stale(projectId),
    success: (vars) => `${OPERATION_LABEL[vars.operation]}: added to pending changes`,
    errorToast: false,
  });
}

export function useApplyPending(projectId: string) {
  return useApiMutation({
    mutationFn: (ids?: string[]) => evolutionApi(projectId).apply(ids),
    invalidate: stale(projectId),
    // A run that stops at a failed change still answers 200: report it as the error it is.
    success: (_ids, r) =>
      r.success ? `Applied ${r.applied.length} change${r.applied.length === 1 ? '' : 's'}` : '',
    onSuccess: (r) => {
      if (!r.success) {
        toast.error(
          `Applied ${r.applied.length}, then a change failed: ${r.failed?.error ?? 'unknown error'}`,
        );
      }
    },
  });
}

export function useDiscardPending(projectId: string) {
  return useApiMutation({
    mutationFn: (p: PendingChange) => evolutionApi(projectId).discard(p.id),
    invalidate: stale(projectId),
    success: (p) => `${OPERATION_LABEL[p.operation] ?? p.operation}: discarded`,
  });
}
