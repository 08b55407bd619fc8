import { useCallback } from 'react';
import { createFileRoute } from '@tanstack/react-router';
import { DataExplorer, DataExplorerSkeleton } from '@/features/records/components/data-explorer';
import { PAGE_SIZES, type DataSearch } from '@/features/records/types';
import { collectionsQueryOptions } from '@/lib/schema-meta';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export const Route = createFileRoute('/_app/projects/$projectId/data')({
  validateSearch: (search: Record<string, unknown>): DataSearch => {
    const limit = Number(search.limit);
    const offset = Number(search.offset);
    const where = Array.isArray(search.where)
      ? search.where.filter((w): w is string => typeof w === 'string')
      : typeof search.where === 'string'
        ? [search.where]
        : [];
    return {
      collection: str(search.collection),
      sort: str(search.sort),
      limit: PAGE_SIZES.find((s) => s === limit),
      offset: Number.isInteger(offset) && offset > 0 ? offset : undefined,
      where: where.length ? where : undefined,
      search: str(search.search),
    };
  },
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
  pendingComponent: DataExplorerSkeleton,
  component: DataPage,
});

function DataPage() {
  const { projectId } = Route.useParams();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const onSearchChange = useCallback(
    (next: Partial<DataSearch>, options?: { replace?: boolean }) =>
      void navigate({ search: (prev) => ({ ...prev, ...next }), replace: options?.replace }),
    [navigate],
  );
  return <DataExplorer projectId={projectId} search={search} onSearchChange={onSearchChange} />;
}
