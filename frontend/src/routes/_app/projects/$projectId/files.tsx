import { useSuspenseQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { bucketsQueryOptions } from '@/features/files/api/files-query';
import { FilesPage, FilesSkeleton } from '@/features/files/components/files-page';
import type { FilesSearch } from '@/features/files/types';
import { projectQueryOptions } from '@/features/projects/api/projects-query';

export const Route = createFileRoute('/_app/projects/$projectId/files')({
  validateSearch: (search: Record<string, unknown>): FilesSearch => ({
    bucket: typeof search.bucket === 'string' && search.bucket ? search.bucket : undefined,
    view: search.view === 'list' || search.view === 'grid' ? search.view : undefined,
  }),
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(bucketsQueryOptions(params.projectId)),
  pendingComponent: FilesSkeleton,
  component: FilesRoute,
});

function FilesRoute() {
  const { projectId } = Route.useParams();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const { data: project } = useSuspenseQuery(projectQueryOptions(projectId));
  return (
    <FilesPage
      projectId={projectId}
      search={search}
      onSearchChange={(next) =>
        void navigate({ search: (prev) => ({ ...prev, ...next }), replace: true })
      }
      canEdit={project.role !== 'viewer'}
      canAdmin={project.role === 'owner' || project.role === 'admin'}
    />
  );
}
