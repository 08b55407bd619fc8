import { useSuspenseQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { projectQueryOptions } from '@/features/projects/api/projects-query';
import { viewsQueryOptions } from '@/features/views/api/views-query';
import { ViewsPage, ViewsSkeleton } from '@/features/views/components/views-page';
import type { ViewsSearch } from '@/features/views/types';
import { collectionsQueryOptions } from '@/lib/schema-meta';

export const Route = createFileRoute('/_app/projects/$projectId/views')({
  validateSearch: (search: Record<string, unknown>): ViewsSearch => ({
    view: typeof search.view === 'string' && search.view ? search.view : undefined,
  }),
  loader: ({ context, params }) =>
    Promise.all([
      context.queryClient.ensureQueryData(viewsQueryOptions(params.projectId)),
      context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
    ]),
  pendingComponent: ViewsSkeleton,
  component: ViewsRoute,
});

function ViewsRoute() {
  const { projectId } = Route.useParams();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const { data: project } = useSuspenseQuery(projectQueryOptions(projectId));
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  return (
    <ViewsPage
      projectId={projectId}
      collections={collections}
      search={search}
      onSearchChange={(next) =>
        void navigate({ search: (prev) => ({ ...prev, ...next }), replace: true })
      }
      canEdit={project.role !== 'viewer'}
    />
  );
}
