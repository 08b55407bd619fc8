import { createFileRoute } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { authSettingsQueryOptions } from '@/features/auth-settings/api/auth-settings-query';
import { AuthPage, AuthPageSkeleton } from '@/features/auth-settings/components/auth-page';
import { AUTH_TABS, type AuthTab } from '@/features/auth-settings/types';
import { collectionsQueryOptions } from '@/lib/schema-meta';

export const Route = createFileRoute('/_app/projects/$projectId/auth')({
  validateSearch: (search: Record<string, unknown>): { tab?: AuthTab } => ({
    tab: AUTH_TABS.find((t) => t !== 'settings' && t === search.tab),
  }),
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(authSettingsQueryOptions(params.projectId)),
  pendingComponent: AuthPageSkeleton,
  component: AuthRoute,
});

function AuthRoute() {
  const { projectId } = Route.useParams();
  const { tab } = Route.useSearch();
  const navigate = Route.useNavigate();
  const collections = useQuery(collectionsQueryOptions(projectId));
  return (
    <AuthPage
      projectId={projectId}
      tab={tab ?? 'settings'}
      onTabChange={(t) =>
        void navigate({ search: { tab: t === 'settings' ? undefined : t }, replace: true })
      }
      collections={(collections.data ?? []).filter((c) => !c.is_system).map((c) => c.name)}
    />
  );
}
