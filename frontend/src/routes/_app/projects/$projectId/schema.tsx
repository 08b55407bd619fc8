import { createFileRoute } from '@tanstack/react-router';
import { SchemaBuilder, SchemaBuilderSkeleton } from '@/features/schema/components/schema-builder';
import { collectionsQueryOptions } from '@/lib/schema-meta';

interface SchemaSearch {
  collection?: string;
  create?: boolean;
}

export const Route = createFileRoute('/_app/projects/$projectId/schema')({
  validateSearch: (search: Record<string, unknown>): SchemaSearch => ({
    collection: typeof search.collection === 'string' ? search.collection : undefined,
    create: search.create === true || search.create === 'true' ? true : undefined,
  }),
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
  pendingComponent: SchemaBuilderSkeleton,
  component: SchemaPage,
});

function SchemaPage() {
  const { projectId } = Route.useParams();
  const { collection, create } = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <SchemaBuilder
      projectId={projectId}
      selected={collection}
      onSelect={(name) => void navigate({ search: { collection: name } })}
      createOpen={create ?? false}
      onCreateOpenChange={(open) =>
        void navigate({ search: (s) => ({ ...s, create: open || undefined }), replace: true })
      }
    />
  );
}
