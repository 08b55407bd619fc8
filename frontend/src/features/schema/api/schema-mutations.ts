import type {
  CreateCollectionInput,
  CreateRelationInput,
  CreateFieldInput,
  FieldType,
  UpdateCollectionInput,
  UpdateFieldInput,
} from '@backendify/client';
import { backend } from '@/lib/backend';
import { schemaKeys, type FieldType as ConsoleFieldType } from '@/lib/schema-meta';
import { useApiMutation } from '@/lib/use-api-mutation';

/** What the field dialog sends: the settings of an update, plus name and type on create. */
export type FieldInput = UpdateFieldInput;

const schema = (projectId: string) => backend.admin.schema(projectId);
const stale = (projectId: string) => [schemaKeys.project(projectId)];

// Errors are shown by the calling form (detail + per-field errors), not as toasts.

export function useCreateCollection(projectId: string) {
  return useApiMutation({
    mutationFn: (body: CreateCollectionInput) => schema(projectId).collections.create(body),
    invalidate: stale(projectId),
    success: (_v, c) => `Collection “${c.name}” created`,
    errorToast: false,
  });
}

export function useUpdateCollection(projectId: string, name: string) {
  return useApiMutation({
    mutationFn: (body: UpdateCollectionInput) => schema(projectId).collections.update(name, body),
    invalidate: stale(projectId),
    success: `Collection “${name}” updated`,
    errorToast: false,
  });
}

export function useDeleteCollection(projectId: string) {
  return useApiMutation({
    mutationFn: (name: string) => schema(projectId).collections.delete(name, { confirm: name }),
    invalidate: stale(projectId),
    success: (name) => `Collection “${name}” deleted`,
    errorToast: false,
  });
}

export function useCreateField(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: ({
      description,
      field_type,
      ...body
    }: FieldInput & {
      name: string;
      field_type: ConsoleFieldType;
    }) =>
      schema(projectId)
        .fields(collection)
        // The dialog offers only creatable types (relations have their own module).
        .create({
          ...body,
          description: description ?? undefined,
          field_type: field_type as FieldType,
        } satisfies CreateFieldInput),
    invalidate: stale(projectId),
    success: (_v, f) => `Field “${f.name}” added`,
    errorToast: false,
  });
}

export function useUpdateField(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: ({ name, body }: { name: string; body: FieldInput }) =>
      schema(projectId).fields(collection).update(name, body),
    invalidate: stale(projectId),
    success: (v) => `Field “${v.name}” updated`,
    errorToast: false,
  });
}

export function useDeleteField(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: (name: string) => schema(projectId).fields(collection).delete(name),
    invalidate: stale(projectId),
    success: (name) => `Field “${name}” deleted`,
    errorToast: false,
  });
}

/**
 * "Relation" in Add field: the relation is made through the relations API (it owns the column,
 * the foreign key or junction table); the Relations page's diagram reads the same rows.
 */
export function useCreateRelationField(projectId: string) {
  return useApiMutation({
    mutationFn: ({ collectionId, ...body }: CreateRelationInput & { collectionId: string }) =>
      schema(projectId).relations.create(collectionId, body),
    // The Relations module keys its queries under ['relations', projectId].
    invalidate: [...stale(projectId), ['relations', projectId]],
    success: (_v, r) => `Relation field “${r.name}” → ${r.target_collection_name} added`,
    errorToast: false,
  });
}
