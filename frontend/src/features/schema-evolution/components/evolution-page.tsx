import { useQuery } from '@tanstack/react-query';
import { GitPullRequestArrow, History, Link2 } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import type { Collection } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { pendingQueryOptions } from '../api/evolution-query';
import type { EvolutionTab, HistoryFilters } from '../types';
import { AliasesTab } from './aliases-tab';
import { HistoryTab } from './history-tab';
import { PendingTab } from './pending-tab';

interface EvolutionPageProps {
  projectId: string;
  collections: Collection[];
  tab: EvolutionTab;
  collection: Collection | undefined;
  history: HistoryFilters;
  onTabChange: (tab: EvolutionTab) => void;
  onCollectionChange: (name: string) => void;
  onHistoryChange: (f: Partial<HistoryFilters>) => void;
}

const TABS: { id: EvolutionTab; label: string; icon: typeof History }[] = [
  { id: 'pending', label: 'Pending', icon: GitPullRequestArrow },
  { id: 'history', label: 'History', icon: History },
  { id: 'aliases', label: 'Aliases', icon: Link2 },
];

export function EvolutionPage({
  projectId,
  collections,
  tab,
  collection,
  history,
  onTabChange,
  onCollectionChange,
  onHistoryChange,
}: EvolutionPageProps) {
  const pending = useQuery(pendingQueryOptions(projectId, 'pending'));
  return (
    <>
      <PageHeader
        title="Schema evolution"
        description="Rename, retype and delete without breaking clients: preview the SQL, queue changes, apply them together, and keep old names working as aliases."
      />
      <div
        role="tablist"
        aria-label="Schema evolution"
        className="mb-6 flex gap-1 border-b border-border"
      >
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`evolution-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`evolution-panel-${t.id}`}
            onClick={() => onTabChange(t.id)}
            className={cn(
              '-mb-px inline-flex cursor-pointer items-center gap-2 border-b-2 px-3 pb-2.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-ring [&_svg]:size-4',
              tab === t.id
                ? 'border-primary text-foreground'
                : 'border-transparent text-muted-foreground hover:text-foreground',
            )}
          >
            <t.icon aria-hidden="true" />
            {t.label}
            {t.id === 'pending' && (pending.data?.length ?? 0) > 0 && (
              <Badge tone="accent" className="px-1.5 py-0">
                {pending.data?.length}
              </Badge>
            )}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`evolution-panel-${tab}`} aria-labelledby={`evolution-tab-${tab}`}>
        {tab === 'pending' ? (
          <PendingTab
            projectId={projectId}
            collections={collections}
            collection={collection}
            onCollectionChange={onCollectionChange}
          />
        ) : tab === 'history' ? (
          <HistoryTab
            projectId={projectId}
            collections={collections}
            filters={history}
            onFiltersChange={onHistoryChange}
          />
        ) : (
          <AliasesTab projectId={projectId} collections={collections} />
        )}
      </div>
    </>
  );
}

export function EvolutionSkeleton() {
  return (
    <PageSkeleton label="Loading schema evolution" titleWidth="w-56">
      <Skeleton className="mb-6 h-9 w-72" />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[22rem_1fr]">
        <Skeleton className="h-72 rounded-xl" />
        <Skeleton className="h-72 rounded-xl" />
      </div>
    </PageSkeleton>
  );
}
