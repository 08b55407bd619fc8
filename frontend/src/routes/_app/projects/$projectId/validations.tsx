import { createFileRoute } from '@tanstack/react-router';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import {
  ValidationsPage,
  ValidationsSkeleton,
} from '@/features/validations/components/validations-page';
import { collectionsQueryOptions, fieldsQueryOptions } from '@/lib/schema-meta';

interface ValidationsSearch {
  collection?: string;
  field?: string;
}

export const Route = createFileRoute('/_app/projects/$projectId/validations')({
  validateSearch: (search: Record<string, unknown>): ValidationsSearch => ({
    collection: typeof search.collection === 'string' ? search.collection : undefined,
    field: typeof search.field === 'string' ? search.field : undefined,
  }),
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
  pendingComponent: ValidationsSkeleton,
  component: ValidationsRoute,
});

function ValidationsRoute() {
  const { projectId } = Route.useParams();
  const { collection, field } = Route.useSearch();
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
    <ValidationsPage
      projectId={projectId}
      collections={collections}
      collection={current}
      fields={fields.data}
      field={field}
      onCollectionChange={(name) => void navigate({ search: { collection: name } })}
      onFieldChange={(name) => void navigate({ search: (s) => ({ ...s, field: name }) })}
    />
  );
}
