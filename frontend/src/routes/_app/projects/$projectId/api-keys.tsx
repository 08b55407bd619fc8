import { createFileRoute } from '@tanstack/react-router';
import { apiKeysQueryOptions } from '@/features/api-keys/api/api-keys-query';
import { ApiKeysPanel, ApiKeysSkeleton } from '@/features/api-keys/components/api-keys-panel';
import { STATUS_FILTERS, type StatusFilter } from '@/features/api-keys/types';

export const Route = createFileRoute('/_app/projects/$projectId/api-keys')({
  validateSearch: (search: Record<string, unknown>): { status?: StatusFilter } => ({
    status: STATUS_FILTERS.find((s) => s !== 'all' && s === search.status),
  }),
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(apiKeysQueryOptions(params.projectId)),
  pendingComponent: ApiKeysSkeleton,
  component: ApiKeysPage,
});

function ApiKeysPage() {
  const { projectId } = Route.useParams();
  const { status } = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <ApiKeysPanel
      projectId={projectId}
      status={status ?? 'all'}
      onStatusChange={(s) =>
        void navigate({ search: { status: s === 'all' ? undefined : s }, replace: true })
      }
    />
  );
}
