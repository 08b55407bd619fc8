import { createFileRoute } from '@tanstack/react-router';
import { useSuspenseQuery } from '@tanstack/react-query';
import {
  RelationsPage,
  RelationsSkeleton,
  type RelationsView,
} from '@/features/relations/components/relations-page';
import { collectionsQueryOptions } from '@/lib/schema-meta';

interface RelationsSearch {
  view?: RelationsView;
  collection?: string;
  create?: boolean;
}

export const Route = createFileRoute('/_app/projects/$projectId/relations')({
  validateSearch: (search: Record<string, unknown>): RelationsSearch => ({
    view: search.view === 'list' ? 'list' : undefined,
    collection: typeof search.collection === 'string' ? search.collection : undefined,
    create: search.create === true || search.create === 'true' ? true : undefined,
  }),
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
  pendingComponent: RelationsSkeleton,
  component: RelationsRoute,
});

function RelationsRoute() {
  const { projectId } = Route.useParams();
  const { view, collection, create } = Route.useSearch();
  const navigate = Route.useNavigate();
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  return (
    <RelationsPage
      projectId={projectId}
      collections={collections}
      view={view ?? 'diagram'}
      collection={collection}
      createOpen={create ?? false}
      onViewChange={(v) =>
        void navigate({ search: (s) => ({ ...s, view: v === 'list' ? 'list' : undefined }) })
      }
      onCollectionChange={(c) => void navigate({ search: (s) => ({ ...s, collection: c }) })}
      onCreateOpenChange={(open) =>
        void navigate({ search: (s) => ({ ...s, create: open || undefined }), replace: true })
      }
    />
  );
}
