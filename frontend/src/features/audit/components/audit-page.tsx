import { useState } from 'react';
import { Activity, Clock, Download, RefreshCw } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { ActionChip, ActorChip } from '@/components/ui/change-chips';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Menu, menuItemClasses } from '@/components/ui/menu';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { errorMessage } from '@/lib/backend';
import type { Collection } from '@/lib/schema-meta';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { exportAudit, useAuditEvents, useAuditSettings, useMemberNames } from '../api/audit-query';
import { AUDIT_FILTER_KEYS, type AuditEvent, type AuditSearch, type AuditSettings } from '../types';
import { AuditEventDialog } from './audit-event-dialog';
import { AuditFilters } from './audit-filters';
import { RetentionDialog } from './retention-dialog';

interface AuditPageProps {
  projectId: string;
  collections: Collection[];
  filters: AuditSearch;
  onFiltersChange: (next: Partial<AuditSearch>) => void;
  onClearFilters: () => void;
  /** Owners and admins may change the retention; every member reads the log. */
  canManage: boolean;
}

function retentionSummary(s: AuditSettings | undefined): string {
  if (!s) return '…';
  const parts: string[] = [];
  if (s.retention_days) parts.push(`${s.retention_days} day${s.retention_days === 1 ? '' : 's'}`);
  if (s.max_rows) parts.push(`at most ${s.max_rows.toLocaleString()} events`);
  return parts.length ? `Kept ${parts.join(', ')}` : 'Kept forever';
}

function target(e: AuditEvent) {
  if (!e.collection) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="font-mono text-xs">
      {e.collection}
      {e.record_id && <span className="text-muted-foreground"> #{e.record_id}</span>}
    </span>
  );
}

function changedSummary(e: AuditEvent) {
  if (e.kind !== 'record') {
    const op = e.meta?.op as { kind?: string; column?: string; table?: string } | undefined;
    const text = op?.kind ? [op.kind, op.column ?? op.table].filter(Boolean).join(' ') : '';
    return <span className="text-xs text-muted-foreground">{text}</span>;
  }
  if (e.action !== 'update') return <span className="text-xs text-muted-foreground">—</span>;
  const changed = e.changed ?? [];
  return (
    <span className="flex flex-wrap gap-1">
      {changed.slice(0, 4).map((f) => (
        <code key={f} className="rounded bg-muted px-1 py-0.5 font-mono text-[11px]">
          {f}
        </code>
      ))}
      {changed.length > 4 && (
        <span className="text-xs text-muted-foreground">+{changed.length - 4}</span>
      )}
    </span>
  );
}

export function AuditPage({
  projectId,
  collections,
  filters,
  onFiltersChange,
  onClearFilters,
  canManage,
}: AuditPageProps) {
  const events = useAuditEvents(projectId, filters);
  const settings = useAuditSettings(projectId);
  const names = useMemberNames(projectId).data;
  const [open, setOpen] = useState<AuditEvent | null>(null);
  const [retentionOpen, setRetentionOpen] = useState(false);
  const [exporting, setExporting] = useState(false);

  const pages = events.data?.pages ?? [];
  const rows = pages.flatMap((p) => p.events);
  const total = pages[0]?.total ?? null;
  const filtered = AUDIT_FILTER_KEYS.some((k) => filters[k] !== undefined);

  async function download(format: 'csv' | 'json') {
    setExporting(true);
    try {
      await exportAudit(projectId, filters, format);
      toast.success(`Exported the audit log as ${format.toUpperCase()}`);
    } catch (error) {
      toast.error(errorMessage(error));
    } finally {
      setExporting(false);
    }
  }

  return (
    <>
      <PageHeader
        title="Audit Logs"
        description="Every committed change in this project: records, schema, sign-ins and admin actions — who made it, when, and what changed. Nobody can edit the log."
        actions={
          <>
            <Button variant="outline" size="sm" onClick={() => setRetentionOpen(true)}>
              <Clock aria-hidden="true" />
              <span data-testid="retention-summary">{retentionSummary(settings.data)}</span>
            </Button>
            <Menu
              label="Export"
              trigger={(props) => (
                <Button {...props} variant="outline" size="sm" loading={exporting}>
                  <Download aria-hidden="true" />
                  Export
                </Button>
              )}
            >
              {(close) =>
                (['csv', 'json'] as const).map((format) => (
                  <button
                    key={format}
                    type="button"
                    role="menuitem"
                    className={menuItemClasses}
                    onClick={() => {
                      close();
                      void download(format);
                    }}
                  >
                    <Download aria-hidden="true" />
                    Export {filtered ? 'filtered view' : 'all'} as {format.toUpperCase()}
                  </button>
                ))
              }
            </Menu>
          </>
        }
      />

      <Card className="overflow-hidden">
        <AuditFilters
          filters={filters}
          collections={collections}
          onChange={onFiltersChange}
          onClear={onClearFilters}
        />
        <div className="flex items-center justify-between gap-2 border-b border-border px-4 py-2 text-xs text-muted-foreground">
          <span aria-live="polite" data-testid="audit-count">
            {events.isPending
              ? 'Loading…'
              : total === null
                ? `${rows.length} events`
                : `Showing ${rows.length} of ${total.toLocaleString()} event${total === 1 ? '' : 's'}`}
          </span>
          <Button
            variant="ghost"
            size="sm"
            aria-label="Refresh"
            onClick={() => void events.refetch()}
            disabled={events.isFetching}
          >
            <RefreshCw aria-hidden="true" className={events.isFetching ? 'animate-spin' : ''} />
          </Button>
        </div>

        {events.isError ? (
          <div className="p-4">
            <ProblemAlert error={events.error} />
          </div>
        ) : events.isPending ? (
          <div className="grid gap-2 p-4">
            {Array.from({ length: 6 }, (_, i) => (
              <Skeleton key={i} className="h-9" />
            ))}
          </div>
        ) : rows.length === 0 ? (
          <EmptyState
            icon={Activity}
            className="m-4"
            title={filtered ? 'No events match these filters' : 'No events yet'}
            description={
              filtered
                ? 'Widen the date range or clear a filter.'
                : 'Changes to records, the schema, sign-ins and settings appear here as they happen.'
            }
          />
        ) : (
          <Table aria-label="Audit events">
            <THead>
              <tr>
                <TH>When</TH>
                <TH>Action</TH>
                <TH>Actor</TH>
                <TH>Target</TH>
                <TH className="hidden lg:table-cell">Changed</TH>
                <TH className="hidden xl:table-cell">IP</TH>
              </tr>
            </THead>
            <TBody>
              {rows.map((e) => (
                <TR
                  key={e.id}
                  data-testid="audit-row"
                  data-action={e.action}
                  className="cursor-pointer"
                  onClick={() => setOpen(e)}
                >
                  <TD className="whitespace-nowrap">
                    <button
                      type="button"
                      className="cursor-pointer rounded text-left text-xs hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                      title={formatDateTime(e.created_at)}
                      aria-label={`Open ${e.action} event ${e.id}`}
                      onClick={(ev) => {
                        ev.stopPropagation();
                        setOpen(e);
                      }}
                    >
                      {formatRelative(e.created_at)}
                    </button>
                  </TD>
                  <TD>
                    <ActionChip action={e.action} />
                  </TD>
                  <TD>
                    <ActorChip actor={e.actor} names={names} />
                  </TD>
                  <TD>{target(e)}</TD>
                  <TD className="hidden lg:table-cell">{changedSummary(e)}</TD>
                  <TD className="hidden font-mono text-xs text-muted-foreground xl:table-cell">
                    {e.ip_address ?? '—'}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}

        {events.hasNextPage && (
          <div className="flex justify-center border-t border-border p-3">
            <Button
              variant="outline"
              size="sm"
              loading={events.isFetchingNextPage}
              onClick={() => void events.fetchNextPage()}
            >
              Load more
            </Button>
          </div>
        )}
      </Card>

      <AuditEventDialog
        event={open}
        names={names}
        onOpenChange={(o) => !o && setOpen(null)}
        onFilter={(next) => {
          setOpen(null);
          onFiltersChange(next);
        }}
      />
      <RetentionDialog
        projectId={projectId}
        settings={settings.data}
        canEdit={canManage}
        open={retentionOpen}
        onOpenChange={setRetentionOpen}
      />
    </>
  );
}

export function AuditSkeleton() {
  return (
    <PageSkeleton label="Loading audit logs" titleWidth="w-44">
      <Skeleton className="h-[32rem] rounded-xl" />
    </PageSkeleton>
  );
}
