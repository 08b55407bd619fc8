import { Outlet, createFileRoute } from '@tanstack/react-router';
import { PageSkeleton, RouteError } from '@/components/layout/route-states';
import { projectQueryOptions } from '@/features/projects/api/projects-query';

export const Route = createFileRoute('/_app/projects/$projectId')({
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(projectQueryOptions(params.projectId)),
  pendingComponent: PageSkeleton,
  errorComponent: RouteError,
  component: Outlet,
});
