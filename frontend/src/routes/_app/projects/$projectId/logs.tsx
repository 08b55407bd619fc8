import { useSuspenseQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { AuditPage, AuditSkeleton } from '@/features/audit/components/audit-page';
import { normaliseRecordId, parseAuditSearch, type AuditSearch } from '@/features/audit/types';
import { projectQueryOptions } from '@/features/projects/api/projects-query';
import { collectionsQueryOptions } from '@/lib/schema-meta';

export const Route = createFileRoute('/_app/projects/$projectId/logs')({
  validateSearch: (search: Record<string, unknown>): AuditSearch => parseAuditSearch(search),
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
  pendingComponent: AuditSkeleton,
  component: LogsPage,
});

function LogsPage() {
  const { projectId } = Route.useParams();
  const filters = Route.useSearch();
  const navigate = Route.useNavigate();
  const { data: project } = useSuspenseQuery(projectQueryOptions(projectId));
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  return (
    <AuditPage
      projectId={projectId}
      collections={collections}
      filters={filters}
      onFiltersChange={(next) =>
        void navigate({
          search: (prev) => ({
            ...prev,
            ...next,
            ...('record_id' in next ? { record_id: normaliseRecordId(next.record_id) } : {}),
          }),
        })
      }
      onClearFilters={() => void navigate({ search: {} })}
      canManage={project.role === 'owner' || project.role === 'admin'}
    />
  );
}
