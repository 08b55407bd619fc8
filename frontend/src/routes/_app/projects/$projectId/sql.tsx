import { useSuspenseQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { projectQueryOptions } from '@/features/projects/api/projects-query';
import { sqlHistoryQueryOptions } from '@/features/sql/api/sql-query';
import { SqlPage, SqlSkeleton } from '@/features/sql/components/sql-page';
import { collectionsQueryOptions } from '@/lib/schema-meta';

export const Route = createFileRoute('/_app/projects/$projectId/sql')({
  loader: ({ context, params }) =>
    Promise.all([
      context.queryClient.ensureQueryData(sqlHistoryQueryOptions(params.projectId)),
      context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
    ]),
  pendingComponent: SqlSkeleton,
  component: SqlRoute,
});

function SqlRoute() {
  const { projectId } = Route.useParams();
  const { data: project } = useSuspenseQuery(projectQueryOptions(projectId));
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  return (
    <SqlPage projectId={projectId} collections={collections} isOwner={project.role === 'owner'} />
  );
}
