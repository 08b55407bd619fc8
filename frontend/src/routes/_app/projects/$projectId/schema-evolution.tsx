import { createFileRoute } from '@tanstack/react-router';
import { useSuspenseQuery } from '@tanstack/react-query';
import {
  EvolutionPage,
  EvolutionSkeleton,
} from '@/features/schema-evolution/components/evolution-page';
import type { EvolutionTab } from '@/features/schema-evolution/types';
import { collectionsQueryOptions } from '@/lib/schema-meta';

interface EvolutionSearch {
  tab?: EvolutionTab;
  collection?: string;
  h_collection?: string;
  op_type?: string;
  offset?: number;
  limit?: number;
}

const TABS: EvolutionTab[] = ['pending', 'history', 'aliases'];
const int = (v: unknown) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
};

export const Route = createFileRoute('/_app/projects/$projectId/schema-evolution')({
  validateSearch: (search: Record<string, unknown>): EvolutionSearch => ({
    tab: TABS.includes(search.tab as EvolutionTab) ? (search.tab as EvolutionTab) : undefined,
    collection: typeof search.collection === 'string' ? search.collection : undefined,
    h_collection: typeof search.h_collection === 'string' ? search.h_collection : undefined,
    op_type: typeof search.op_type === 'string' ? search.op_type : undefined,
    offset: int(search.offset) || undefined,
    limit: int(search.limit) || undefined,
  }),
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
  pendingComponent: EvolutionSkeleton,
  component: EvolutionRoute,
});

function EvolutionRoute() {
  const { projectId } = Route.useParams();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  const current =
    collections.find((c) => c.name === search.collection && !c.is_system) ??
    collections.find((c) => !c.is_system);
  return (
    <EvolutionPage
      projectId={projectId}
      collections={collections}
      tab={search.tab ?? 'pending'}
      collection={current}
      history={{
        collectionId: search.h_collection,
        opType: search.op_type,
        offset: search.offset ?? 0,
        limit: Math.min(search.limit ?? 25, 200),
      }}
      onTabChange={(tab) =>
        void navigate({ search: (s) => ({ ...s, tab: tab === 'pending' ? undefined : tab }) })
      }
      onCollectionChange={(name) => void navigate({ search: (s) => ({ ...s, collection: name }) })}
      onHistoryChange={(f) =>
        void navigate({
          search: (s) => ({
            ...s,
            ...('collectionId' in f ? { h_collection: f.collectionId } : {}),
            ...('opType' in f ? { op_type: f.opType } : {}),
            ...('offset' in f ? { offset: f.offset || undefined } : {}),
            ...('limit' in f ? { limit: f.limit } : {}),
          }),
        })
      }
    />
  );
}
