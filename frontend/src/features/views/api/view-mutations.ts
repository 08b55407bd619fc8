import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { View } from '../types';
import { viewKeys } from './keys';
import { viewsPath } from './views-query';

/** The builder shows save errors inline, with the server's per-field list. */
export function useSaveView(projectId: string) {
  return useApiMutation({
    mutationFn: ({
      name,
      body,
      isNew,
    }: {
      name: string;
      body: Record<string, unknown>;
      isNew: boolean;
    }) =>
      isNew
        ? backend.request<View>('POST', viewsPath(projectId), { body: { ...body, name } })
        : backend.request<View>('PATCH', viewsPath(projectId, name), { body }),
    invalidate: [viewKeys.list(projectId)],
    success: (_v, view) => `View “${view.name}” saved (version ${view.version})`,
    errorToast: false,
  });
}

export function useDeleteView(projectId: string) {
  return useApiMutation({
    mutationFn: (v: View) => backend.request<void>('DELETE', viewsPath(projectId, v.name)),
    invalidate: [viewKeys.list(projectId)],
    success: (v) => `View “${v.name}” deleted`,
  });
}

export function useRollbackView(projectId: string) {
  return useApiMutation({
    mutationFn: ({ name, version }: { name: string; version: number }) =>
      backend.request<View>(
        'POST',
        viewsPath(projectId, name, 'versions', String(version), 'rollback'),
      ),
    invalidate: [viewKeys.list(projectId)],
    success: (v, view) => `Rolled back to version ${v.version}: now version ${view.version}`,
  });
}
