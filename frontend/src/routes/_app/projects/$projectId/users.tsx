import { useCallback } from 'react';
import { createFileRoute } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { appUsersQueryOptions } from '@/features/app-users/api/app-users-query';
import { AppUsersPanel, AppUsersSkeleton } from '@/features/app-users/components/app-users-panel';
import { collectionsQueryOptions } from '@/lib/schema-meta';

interface UsersSearch {
  q?: string;
  page?: number;
  user?: string;
}

export const Route = createFileRoute('/_app/projects/$projectId/users')({
  validateSearch: (search: Record<string, unknown>): UsersSearch => {
    const page = Number(search.page);
    return {
      q: typeof search.q === 'string' && search.q ? search.q : undefined,
      page: Number.isInteger(page) && page > 1 ? page : undefined,
      user: typeof search.user === 'string' ? search.user : undefined,
    };
  },
  loaderDeps: ({ search }) => ({ q: search.q, page: search.page }),
  loader: ({ context, params, deps }) =>
    context.queryClient.ensureQueryData(
      appUsersQueryOptions(params.projectId, deps.q ?? '', deps.page ?? 1),
    ),
  pendingComponent: AppUsersSkeleton,
  component: UsersPage,
});

function UsersPage() {
  const { projectId } = Route.useParams();
  const { q, page, user } = Route.useSearch();
  const navigate = Route.useNavigate();
  const collections = useQuery(collectionsQueryOptions(projectId));
  const onSearchChange = useCallback(
    (next: string) =>
      void navigate({
        search: (s) => ({ ...s, q: next || undefined, page: undefined }),
        replace: true,
      }),
    [navigate],
  );
  return (
    <AppUsersPanel
      projectId={projectId}
      search={q ?? ''}
      page={page ?? 1}
      selectedUserId={user}
      collections={(collections.data ?? []).filter((c) => !c.is_system).map((c) => c.name)}
      onSearchChange={onSearchChange}
      onPageChange={(p) =>
        void navigate({ search: (s) => ({ ...s, page: p > 1 ? p : undefined }) })
      }
      onSelectUser={(id) => void navigate({ search: (s) => ({ ...s, user: id }) })}
    />
  );
}
