import { ChevronLeft, ChevronRight, CircleStop, History, RefreshCw, RotateCcw } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Dialog } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { StatusFilter } from '@/components/ui/status-filter';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { useCancelRun, useRetryRun } from '../api/workflow-mutations';
import { RUN_PAGE_SIZE, useRuns } from '../api/workflows-query';
import { RUN_STATUSES, isFinished, type RunStatus, type Workflow } from '../types';
import { RunStatusChip, elapsed } from './run-chips';
import { RunView } from './run-view';

interface RunsPanelProps {
  projectId: string;
  workflow: Workflow;
  status: RunStatus | undefined;
  offset: number;
  openRun: string | undefined;
  canEdit: boolean;
  onChange: (next: { status?: RunStatus; offset?: number; run?: string }) => void;
}

/** Run history of one workflow: newest first, filtered by status, each run openable. */
export function RunsPanel({
  projectId,
  workflow,
  status,
  offset,
  openRun,
  canEdit,
  onChange,
}: RunsPanelProps) {
  const page = useRuns(projectId, workflow.id, status, offset);
  const cancel = useCancelRun(projectId, workflow.id);
  const retry = useRetryRun(projectId, workflow.id);
  const rows = page.data?.runs ?? [];
  const total = page.data?.total ?? 0;

  return (
    <Card className="overflow-hidden" data-testid="runs-panel">
      <CardHeader
        title={
          <span className="inline-flex items-center gap-2">
            <History className="size-4 text-muted-foreground" aria-hidden="true" />
            Run history
          </span>
        }
        description="Every run of this workflow, newest first. Open one to see each step’s input, output and error."
        actions={
          <Button
            variant="ghost"
            size="icon"
            aria-label="Refresh runs"
            onClick={() => void page.refetch()}
            disabled={page.isFetching}
          >
            <RefreshCw aria-hidden="true" className={page.isFetching ? 'animate-spin' : ''} />
          </Button>
        }
      />
      <StatusFilter
        label="Filter runs by status"
        statuses={RUN_STATUSES}
        value={status}
        onChange={(s) => onChange({ status: s, offset: undefined })}
      />

      {page.isError ? (
        <div className="p-4">
          <ProblemAlert error={page.error} />
        </div>
      ) : page.isPending ? (
        <div className="grid gap-2 p-4">
          <Skeleton className="h-9" />
          <Skeleton className="h-9" />
        </div>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={History}
          className="m-4"
          title={status ? `No ${status} runs` : 'No runs yet'}
          description={
            status ? 'Try another status.' : 'Start a test run, or make the trigger happen.'
          }
        />
      ) : (
        <Table aria-label="Runs">
          <THead>
            <tr>
              <TH>Status</TH>
              <TH>Started by</TH>
              <TH>When</TH>
              <TH className="hidden sm:table-cell">Duration</TH>
              <TH className="hidden lg:table-cell">Error</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {rows.map((r) => (
              <TR
                key={r.id}
                data-testid="run-row"
                data-status={r.status}
                className="cursor-pointer"
                onClick={() => onChange({ run: r.id })}
              >
                <TD>
                  <RunStatusChip status={r.status} />
                </TD>
                <TD>
                  <button
                    type="button"
                    className="cursor-pointer rounded font-mono text-xs hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                    aria-label={`Open run ${r.id}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      onChange({ run: r.id });
                    }}
                  >
                    {r.trigger?.event ?? r.trigger_type}
                  </button>
                </TD>
                <TD className="text-xs whitespace-nowrap" title={formatDateTime(r.created_at)}>
                  {formatRelative(r.created_at)}
                </TD>
                <TD className="hidden text-xs sm:table-cell">
                  {elapsed(r.started_at ?? r.created_at, r.finished_at)}
                </TD>
                <TD className="hidden max-w-72 truncate font-mono text-xs text-destructive lg:table-cell">
                  {r.error ?? ''}
                </TD>
                <TD onClick={(e) => e.stopPropagation()}>
                  {canEdit && (
                    <div className="flex justify-end gap-1">
                      {r.status === 'failed' && (
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-label={`Retry run ${r.id}`}
                          loading={retry.isPending && retry.variables === r.id}
                          onClick={() => retry.mutate(r.id)}
                        >
                          <RotateCcw aria-hidden="true" />
                          Retry
                        </Button>
                      )}
                      {!isFinished(r.status) && (
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-label={`Cancel run ${r.id}`}
                          loading={cancel.isPending && cancel.variables === r.id}
                          onClick={() => cancel.mutate(r.id)}
                        >
                          <CircleStop aria-hidden="true" />
                          Cancel
                        </Button>
                      )}
                    </div>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}

      {total > RUN_PAGE_SIZE && (
        <div className="flex items-center justify-end gap-2 border-t border-border px-4 py-2 text-xs text-muted-foreground">
          <span>
            {offset + 1}–{Math.min(offset + rows.length, total)} of {total}
          </span>
          <Button
            variant="outline"
            size="sm"
            aria-label="Newer runs"
            disabled={offset === 0}
            onClick={() => onChange({ status, offset: Math.max(0, offset - RUN_PAGE_SIZE) })}
          >
            <ChevronLeft aria-hidden="true" />
          </Button>
          <Button
            variant="outline"
            size="sm"
            aria-label="Older runs"
            disabled={offset + RUN_PAGE_SIZE >= total}
            onClick={() => onChange({ status, offset: offset + RUN_PAGE_SIZE })}
          >
            <ChevronRight aria-hidden="true" />
          </Button>
        </div>
      )}

      <Dialog
        open={openRun !== undefined}
        onOpenChange={(o) => !o && onChange({ run: undefined })}
        title={`Run of “${workflow.name}”`}
        description={openRun ? `Run ${openRun}` : undefined}
        className="sm:max-w-3xl"
      >
        {openRun && (
          <RunView
            projectId={projectId}
            workflowId={workflow.id}
            runId={openRun}
            canEdit={canEdit}
          />
        )}
      </Dialog>
    </Card>
  );
}
