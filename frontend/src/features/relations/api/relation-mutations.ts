import { backend } from '@/lib/backend';
import { schemaKeys } from '@/lib/schema-meta';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { Relation, RelationInput } from '../types';
import { relationKeys } from './keys';

// A relation is a field of its collection, so the Schema and Data modules go stale too.
const stale = (projectId: string) => [
  relationKeys.project(projectId),
  schemaKeys.project(projectId),
];

/** The relation dialog shows create errors inline. */
export function useCreateRelation(projectId: string) {
  return useApiMutation({
    mutationFn: ({ collectionId, ...body }: RelationInput & { collectionId: string }) =>
      backend.admin.schema(projectId).relations.create(collectionId, body),
    invalidate: stale(projectId),
    success: (_v, r) =>
      `Relation ${r.collection_name}.${r.name} → ${r.target_collection_name} created`,
    errorToast: false,
  });
}

export function useDeleteRelation(projectId: string) {
  return useApiMutation({
    mutationFn: (r: Relation) => backend.admin.schema(projectId).relations.delete(r.id),
    invalidate: stale(projectId),
    success: (r) => `Relation ${r.collection_name}.${r.name} deleted`,
  });
}
