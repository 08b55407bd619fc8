import { useSuspenseQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { RealtimePage, RealtimeSkeleton } from '@/features/realtime/components/realtime-page';
import { collectionsQueryOptions } from '@/lib/schema-meta';

export const Route = createFileRoute('/_app/projects/$projectId/realtime')({
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
  pendingComponent: RealtimeSkeleton,
  component: RealtimeRoute,
});

function RealtimeRoute() {
  const { projectId } = Route.useParams();
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  return <RealtimePage projectId={projectId} collections={collections} />;
}
