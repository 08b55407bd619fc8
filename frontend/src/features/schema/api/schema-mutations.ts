import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api } from '@/lib/api-client';
import {
  collectionsBase,
  schemaKeys,
  type Collection,
  type FieldDef,
  type FieldOptions,
} from '@/lib/schema-meta';

export interface CollectionInput {
  name?: string;
  display_name?: string;
  description?: string | null;
  icon?: string | null;
  display_field?: string | null;
}

export interface FieldInput {
  name?: string;
  display_name?: string;
  field_type?: string;
  description?: string | null;
  is_required?: boolean;
  is_unique?: boolean;
  is_indexed?: boolean;
  is_searchable?: boolean;
  is_hidden?: boolean;
  default_value?: unknown;
  options?: FieldOptions;
}

const one = (projectId: string, name: string) =>
  `${collectionsBase(projectId)}/${encodeURIComponent(name)}`;

/** Errors are shown by the calling form (detail + per-field errors), not as toasts. */
function useSchemaMutation<TVars, TResult>(
  projectId: string,
  fn: (vars: TVars) => Promise<TResult>,
  success: (vars: TVars, result: TResult) => string,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (result, vars) => {
      void queryClient.invalidateQueries({ queryKey: schemaKeys.project(projectId) });
      toast.success(success(vars, result));
    },
  });
}

export function useCreateCollection(projectId: string) {
  return useSchemaMutation(
    projectId,
    (body: CollectionInput) => api.post<Collection>(collectionsBase(projectId), body),
    (_v, c) => `Collection “${c.name}” created`,
  );
}

export function useUpdateCollection(projectId: string, name: string) {
  return useSchemaMutation(
    projectId,
    (body: CollectionInput) => api.patch<Collection>(one(projectId, name), body),
    () => `Collection “${name}” updated`,
  );
}

export function useDeleteCollection(projectId: string) {
  return useSchemaMutation(
    projectId,
    (name: string) => api.delete(one(projectId, name), { query: { confirm: name } }),
    (name) => `Collection “${name}” deleted`,
  );
}

export function useCreateField(projectId: string, collection: string) {
  return useSchemaMutation(
    projectId,
    (body: FieldInput) => api.post<FieldDef>(`${one(projectId, collection)}/fields`, body),
    (_v, f) => `Field “${f.name}” added`,
  );
}

export function useUpdateField(projectId: string, collection: string) {
  return useSchemaMutation(
    projectId,
    ({ name, body }: { name: string; body: FieldInput }) =>
      api.patch<FieldDef>(`${one(projectId, collection)}/fields/${encodeURIComponent(name)}`, body),
    (v) => `Field “${v.name}” updated`,
  );
}

export function useDeleteField(projectId: string, collection: string) {
  return useSchemaMutation(
    projectId,
    (name: string) =>
      api.delete(`${one(projectId, collection)}/fields/${encodeURIComponent(name)}`),
    (name) => `Field “${name}” deleted`,
  );
}
