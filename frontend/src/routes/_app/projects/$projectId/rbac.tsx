import { createFileRoute } from '@tanstack/react-router';
import { rolesQueryOptions } from '@/features/roles/api/roles';
import { RolesPanel, RolesSkeleton } from '@/features/roles/components/roles-panel';

export const Route = createFileRoute('/_app/projects/$projectId/rbac')({
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(rolesQueryOptions(params.projectId)),
  pendingComponent: RolesSkeleton,
  component: RolesPage,
});

function RolesPage() {
  const { projectId } = Route.useParams();
  return <RolesPanel projectId={projectId} />;
}
