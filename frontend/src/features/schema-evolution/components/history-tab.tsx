import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, History } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Select } from '@/components/ui/input';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { Collection } from '@/lib/schema-meta';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import { actorsQueryOptions, historyQueryOptions } from '../api/evolution-query';
import { OP_TYPES, type HistoryFilters } from '../types';

/** The project's own schema prefix adds noise to a one-line summary; expanding shows it. */
const PROJECT_SCHEMA = /"p_[0-9a-f_]+"\./g;

interface HistoryTabProps {
  projectId: string;
  collections: Collection[];
  filters: HistoryFilters;
  onFiltersChange: (f: Partial<HistoryFilters>) => void;
}

export function HistoryTab({ projectId, collections, filters, onFiltersChange }: HistoryTabProps) {
  const history = useQuery(historyQueryOptions(projectId, filters));
  const actors = useQuery(actorsQueryOptions(projectId));
  const [open, setOpen] = useState<string | null>(null);
  const rows = (history.data ?? []).slice(0, filters.limit);
  const hasNext = (history.data?.length ?? 0) > filters.limit;
  const nameOf = (id: string | null) =>
    id ? (collections.find((c) => c.id === id)?.name ?? 'deleted collection') : '—';
  const actorOf = (id: string | null) =>
    id ? (actors.data?.find((a) => a.user_id === id)?.email ?? `${id.slice(0, 8)}…`) : 'system';
  const page = Math.floor(filters.offset / filters.limit) + 1;

  return (
    <Card className="overflow-hidden">
      <div className="flex flex-wrap items-center gap-3 border-b border-border px-4 py-3">
        <label htmlFor="history-collection" className="sr-only">
          Collection
        </label>
        <div className="w-48">
          <Select
            id="history-collection"
            className="h-8 text-xs"
            value={filters.collectionId ?? ''}
            onChange={(e) =>
              onFiltersChange({ collectionId: e.target.value || undefined, offset: 0 })
            }
          >
            <option value="">All collections</option>
            {collections
              .filter((c) => !c.is_system)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
          </Select>
        </div>
        <label htmlFor="history-op" className="sr-only">
          Operation
        </label>
        <div className="w-56">
          <Select
            id="history-op"
            className="h-8 text-xs"
            value={filters.opType ?? ''}
            onChange={(e) => onFiltersChange({ opType: e.target.value || undefined, offset: 0 })}
          >
            <option value="">All operations</option>
            {OP_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </div>
        <div className="ml-auto flex items-center gap-2 text-xs text-muted-foreground">
          <span>Page {page}</span>
          <Button
            variant="outline"
            size="icon"
            className="size-8"
            aria-label="Previous page"
            disabled={filters.offset === 0}
            onClick={() => onFiltersChange({ offset: Math.max(0, filters.offset - filters.limit) })}
          >
            <ChevronLeft aria-hidden="true" />
          </Button>
          <Button
            variant="outline"
            size="icon"
            className="size-8"
            aria-label="Next page"
            disabled={!hasNext}
            onClick={() => onFiltersChange({ offset: filters.offset + filters.limit })}
          >
            <ChevronRight aria-hidden="true" />
          </Button>
        </div>
      </div>
      {history.isError ? (
        <div className="p-4">
          <ProblemAlert error={history.error} />
        </div>
      ) : !history.data ? (
        <div className="space-y-2 p-4">
          <Skeleton className="h-10" />
          <Skeleton className="h-10" />
          <Skeleton className="h-10" />
        </div>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={History}
          title="No schema changes"
          description="Changes to collections and fields are recorded here with the SQL they ran."
          className="m-4"
        />
      ) : (
        <Table
          aria-label="Schema history"
          className={cn(history.isPlaceholderData && 'opacity-60')}
        >
          <THead>
            <tr>
              <TH>When</TH>
              <TH>Operation</TH>
              <TH>Collection</TH>
              <TH>Status</TH>
              <TH className="w-[40%]">SQL</TH>
              <TH>Actor</TH>
            </tr>
          </THead>
          <TBody>
            {rows.map((op) => (
              <TR
                key={op.id}
                data-testid="history-row"
                data-op-type={op.op_type}
                className="align-top"
              >
                <TD className="whitespace-nowrap" title={formatDateTime(op.created_at)}>
                  <span className="text-sm">{formatRelative(op.created_at)}</span>
                  <span className="block text-[11px] text-muted-foreground">
                    {formatDateTime(op.created_at)}
                  </span>
                </TD>
                <TD>
                  <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-[11px]">
                    {op.op_type}
                  </code>
                </TD>
                <TD className="font-mono text-xs">{nameOf(op.collection_id)}</TD>
                <TD>
                  <Badge tone={op.status === 'applied' ? 'success' : 'danger'} dot>
                    {op.status}
                  </Badge>
                  {op.error && (
                    <p className="mt-1 max-w-[16rem] text-xs text-destructive">{op.error}</p>
                  )}
                </TD>
                <TD className="max-w-0">
                  {op.sql ? (
                    <button
                      type="button"
                      onClick={() => setOpen(open === op.id ? null : op.id)}
                      aria-expanded={open === op.id}
                      className="block w-full cursor-pointer text-left focus-visible:outline-2 focus-visible:outline-ring"
                      title={open === op.id ? 'Collapse' : 'Show all SQL'}
                    >
                      <code
                        className={cn(
                          'block font-mono text-[11px] text-muted-foreground',
                          open === op.id ? 'break-all whitespace-pre-wrap' : 'truncate',
                        )}
                      >
                        {open === op.id ? op.sql : op.sql.replace(PROJECT_SCHEMA, '')}
                      </code>
                    </button>
                  ) : (
                    <span className="text-xs text-muted-foreground italic">metadata only</span>
                  )}
                </TD>
                <TD className="text-xs whitespace-nowrap text-muted-foreground">
                  {actorOf(op.actor_user_id)}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
