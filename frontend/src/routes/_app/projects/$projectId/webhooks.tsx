import { useSuspenseQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { projectQueryOptions } from '@/features/projects/api/projects-query';
import { webhooksQueryOptions } from '@/features/webhooks/api/webhooks-query';
import { WebhooksPage, WebhooksSkeleton } from '@/features/webhooks/components/webhooks-page';
import { DELIVERY_STATUSES, type WebhooksSearch } from '@/features/webhooks/types';
import { collectionsQueryOptions } from '@/lib/schema-meta';

export const Route = createFileRoute('/_app/projects/$projectId/webhooks')({
  validateSearch: (search: Record<string, unknown>): WebhooksSearch => {
    const offset = Number(search.offset);
    return {
      webhook: typeof search.webhook === 'string' && search.webhook ? search.webhook : undefined,
      status: DELIVERY_STATUSES.find((s) => s === search.status),
      offset: Number.isInteger(offset) && offset > 0 ? offset : undefined,
    };
  },
  loader: ({ context, params }) =>
    Promise.all([
      context.queryClient.ensureQueryData(webhooksQueryOptions(params.projectId)),
      context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
    ]),
  pendingComponent: WebhooksSkeleton,
  component: WebhooksRoute,
});

function WebhooksRoute() {
  const { projectId } = Route.useParams();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const { data: project } = useSuspenseQuery(projectQueryOptions(projectId));
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  return (
    <WebhooksPage
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
