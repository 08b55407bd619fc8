import { createFileRoute } from '@tanstack/react-router';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { PoliciesPanel, PoliciesSkeleton } from '@/features/policies/components/policies-panel';
import { collectionsQueryOptions, fieldsQueryOptions } from '@/lib/schema-meta';

export const Route = createFileRoute('/_app/projects/$projectId/policies')({
  validateSearch: (search: Record<string, unknown>): { collection?: string } => ({
    collection: typeof search.collection === 'string' ? search.collection : undefined,
  }),
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
  pendingComponent: PoliciesSkeleton,
  component: PoliciesPage,
});

function PoliciesPage() {
  const { projectId } = Route.useParams();
  const { collection } = Route.useSearch();
  const navigate = Route.useNavigate();
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  const current =
    collections.find((c) => c.name === collection && !c.is_system) ??
    collections.find((c) => !c.is_system);
  const fields = useQuery({
    ...fieldsQueryOptions(projectId, current?.name ?? ''),
    enabled: current !== undefined,
  });
  return (
    <PoliciesPanel
      projectId={projectId}
      collections={collections}
      selected={current?.name}
      fields={fields.data}
      onSelect={(name) => void navigate({ search: { collection: name } })}
    />
  );
}
