import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import { schemaKeys } from '@/lib/schema-meta';
import {
  OPERATION_LABEL,
  type ApplyResult,
  type EvolutionOperation,
  type EvolutionParams,
  type PendingChange,
} from '../types';
import { evolutionBase } from './evolution-query';
import { evolutionKeys } from './keys';

function useInvalidate(projectId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: evolutionKeys.project(projectId) }),
      queryClient.invalidateQueries({ queryKey: schemaKeys.project(projectId) }),
    ]);
}

export interface ChangeVars {
  collectionId: string;
  operation: EvolutionOperation;
  params: EvolutionParams;
}

/** The direct endpoint of each operation (applies at once). */
function directRequest(projectId: string, { collectionId, operation, params }: ChangeVars) {
  const c = `${evolutionBase(projectId)}/collections/${encodeURIComponent(collectionId)}`;
  const f = `${c}/fields/${encodeURIComponent(params.field_id ?? '')}`;
  const names = { new_name: params.new_name, new_display_name: params.new_display_name };
  switch (operation) {
    case 'rename_table':
      return api.post(`${c}/rename`, names);
    case 'rename_column':
      return api.post(`${f}/rename`, names);
    case 'soft_delete_column':
      return api.post(`${f}/soft-delete`);
    case 'restore_column':
      return api.post(`${f}/restore`);
    case 'drop_column':
      return api.post(`${f}/hard-delete`, undefined, {
        query: { force: params.force ? 'true' : 'false' },
      });
    case 'change_column_type':
      return api.post(`${f}/change-type`, { new_type: params.new_type });
  }
}

export function useApplyNow(projectId: string) {
  const invalidate = useInvalidate(projectId);
  return useMutation({
    mutationFn: (vars: ChangeVars) => directRequest(projectId, vars),
    onSuccess: (_r, vars) => {
      void invalidate();
      toast.success(`${OPERATION_LABEL[vars.operation]}: applied`);
    },
  });
}

export function useQueueChange(projectId: string) {
  const invalidate = useInvalidate(projectId);
  return useMutation({
    mutationFn: ({ collectionId, operation, params }: ChangeVars) =>
      api.post<PendingChange>(`${evolutionBase(projectId)}/pending`, {
        collection_id: collectionId,
        operation,
        params,
      }),
    onSuccess: (_r, vars) => {
      void invalidate();
      toast.success(`${OPERATION_LABEL[vars.operation]}: added to pending changes`);
    },
  });
}

export function useApplyPending(projectId: string) {
  const invalidate = useInvalidate(projectId);
  return useMutation({
    mutationFn: (ids?: string[]) =>
      api.post<ApplyResult>(`${evolutionBase(projectId)}/apply`, ids ? { ids } : {}),
    onSuccess: (r) => {
      void invalidate();
      if (r.success) {
        toast.success(`Applied ${r.applied.length} change${r.applied.length === 1 ? '' : 's'}`);
      } else {
        toast.error(
          `Applied ${r.applied.length}, then a change failed: ${r.failed?.error ?? 'unknown error'}`,
        );
      }
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}

export function useDiscardPending(projectId: string) {
  const invalidate = useInvalidate(projectId);
  return useMutation({
    mutationFn: (p: PendingChange) =>
      api.delete(`${evolutionBase(projectId)}/pending/${encodeURIComponent(p.id)}`),
    onSuccess: (_r, p) => {
      void invalidate();
      toast.success(`${OPERATION_LABEL[p.operation] ?? p.operation}: discarded`);
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}
