import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import { schemaKeys } from '@/lib/schema-meta';
import type { Relation, RelationInput } from '../types';
import { relationKeys } from './keys';
import { relationsBase } from './relations-query';

function useInvalidate(projectId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: relationKeys.project(projectId) }),
      // A relation is a field of its collection, so the Schema and Data modules go stale too.
      queryClient.invalidateQueries({ queryKey: schemaKeys.project(projectId) }),
    ]);
}

export function useCreateRelation(projectId: string) {
  const invalidate = useInvalidate(projectId);
  return useMutation({
    mutationFn: ({ collectionId, ...body }: RelationInput & { collectionId: string }) =>
      api.post<Relation>(
        `${relationsBase(projectId)}/collections/${encodeURIComponent(collectionId)}/relations`,
        body,
      ),
    onSuccess: (r) => {
      void invalidate();
      toast.success(
        `Relation ${r.collection_name}.${r.name} → ${r.target_collection_name} created`,
      );
    },
  });
}

export function useDeleteRelation(projectId: string) {
  const invalidate = useInvalidate(projectId);
  return useMutation({
    mutationFn: (r: Relation) =>
      api.delete(
        `${relationsBase(projectId)}/collections/${encodeURIComponent(r.collection_id)}/relations/${encodeURIComponent(r.id)}`,
      ),
    onSuccess: (_v, r) => {
      void invalidate();
      toast.success(`Relation ${r.collection_name}.${r.name} deleted`);
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}
