import { CircleStop, RotateCcw } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { MetaItem } from '@/components/ui/meta-item';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { cn, formatDateTime } from '@/lib/utils';
import { useCancelRun, useRetryRun } from '../api/workflow-mutations';
import { useRun } from '../api/workflows-query';
import { ACTION_LABELS, isFinished, type RunDetail, type StepLog } from '../types';
import { ACTION_ICONS, JsonValue, RunStatusChip, elapsed } from './run-chips';

interface RunViewProps {
  projectId: string;
  workflowId: string;
  runId: string;
  canEdit: boolean;
}

/** One run, step by step, refreshed every 500 ms until it has finished. */
export function RunView({ projectId, workflowId, runId, canEdit }: RunViewProps) {
  const run = useRun(projectId, workflowId, runId);
  const cancel = useCancelRun(projectId, workflowId);
  const retry = useRetryRun(projectId, workflowId);

  if (run.isError) return <ProblemAlert error={run.error} />;
  if (!run.data)
    return (
      <div className="grid gap-2" aria-busy="true" aria-label="Loading run">
        <Skeleton className="h-16" />
        <Skeleton className="h-24" />
      </div>
    );
  const r: RunDetail = run.data;
  const live = !isFinished(r.status);

  return (
    <div
      className="@container grid min-w-0 gap-4"
      data-testid="run-view"
      data-status={r.status}
      data-run-id={r.id}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <dl className="grid flex-1 grid-cols-2 gap-x-6 gap-y-3 @lg:grid-cols-4">
          <MetaItem wrap label="Status">
            <RunStatusChip status={r.status} />
          </MetaItem>
          <MetaItem wrap label="Started by">
            <code className="font-mono text-xs">{r.trigger?.event ?? r.trigger_type}</code>
            {r.depth > 0 && (
              <span className="block text-xs text-muted-foreground">depth {r.depth}</span>
            )}
          </MetaItem>
          <MetaItem wrap label="Started">
            {formatDateTime(r.started_at ?? r.created_at)}
          </MetaItem>
          <MetaItem wrap label="Duration">
            {elapsed(r.started_at ?? r.created_at, r.finished_at)}
          </MetaItem>
        </dl>
        {canEdit && (
          <div className="flex gap-2">
            {r.status === 'failed' && (
              <Button
                variant="outline"
                size="sm"
                loading={retry.isPending}
                onClick={() => retry.mutate(r.id)}
              >
                <RotateCcw aria-hidden="true" />
                Retry from failed step
              </Button>
            )}
            {live && (
              <Button
                variant="outline"
                size="sm"
                loading={cancel.isPending}
                onClick={() => cancel.mutate(r.id)}
              >
                <CircleStop aria-hidden="true" />
                Cancel run
              </Button>
            )}
          </div>
        )}
      </div>

      {r.error && (
        <Alert tone="danger" title="The run failed">
          <span className="font-mono text-xs break-all" data-testid="run-error">
            {r.error}
          </span>
        </Alert>
      )}

      <ol className="grid gap-2" aria-label="Steps of the run">
        {r.steps.map((s) => (
          <StepRow key={s.index} step={s} />
        ))}
        {r.steps.length === 0 && (
          <li className="text-sm text-muted-foreground">This workflow has no steps.</li>
        )}
      </ol>

      {r.status === 'completed' && (
        <div className="grid gap-1.5">
          <p className="text-xs font-medium text-muted-foreground">Run output (the last step’s)</p>
          <JsonValue value={r.output} label="Run output" />
        </div>
      )}
      <details className="group">
        <summary className="cursor-pointer text-xs font-medium text-muted-foreground hover:text-foreground">
          Run input and trigger
        </summary>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          <JsonValue value={r.input} label="Run input" />
          <JsonValue value={r.trigger} label="Run trigger" />
        </div>
      </details>
    </div>
  );
}

function StepRow({ step: s }: { step: StepLog }) {
  const Icon = ACTION_ICONS[s.action] ?? ACTION_ICONS.transform;
  const started = s.started_at !== null;
  return (
    <li
      className={cn(
        'min-w-0 rounded-lg border p-3',
        s.status === 'failed' ? 'border-destructive/40 bg-destructive/5' : 'border-border',
        s.status === 'running' && 'border-primary/50',
        (s.status === 'pending' || s.status === 'skipped') && 'opacity-70',
      )}
      data-testid="run-step"
      data-index={s.index}
      data-status={s.status}
      aria-label={`Step ${s.index + 1}: ${s.status}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="neutral" className="font-mono">
          {s.index + 1}
        </Badge>
        <Icon className="size-4 text-muted-foreground" aria-hidden="true" />
        <span className="min-w-0 truncate text-sm font-medium">
          {s.name || ACTION_LABELS[s.action]?.label || s.action}
        </span>
        <RunStatusChip status={s.status} />
        <span className="ml-auto flex flex-wrap gap-x-3 text-xs text-muted-foreground">
          {s.attempts > 0 && (
            <span data-testid="step-attempts">
              {s.attempts} attempt{s.attempts === 1 ? '' : 's'}
            </span>
          )}
          {started && <span>{elapsed(s.started_at, s.finished_at)}</span>}
        </span>
      </div>
      {s.error && (
        <pre
          className="mt-2 overflow-x-auto rounded-md bg-destructive/10 p-2 font-mono text-xs break-all whitespace-pre-wrap text-destructive"
          data-testid="step-error"
        >
          {s.error}
        </pre>
      )}
      {(s.status === 'completed' || s.output !== null) && s.output !== undefined && (
        <div className="mt-2 grid gap-1">
          <p className="text-[11px] font-medium text-muted-foreground uppercase">Output</p>
          <JsonValue value={s.output} label={`Step ${s.index + 1} output`} />
        </div>
      )}
      {s.input !== null && s.input !== undefined && (
        <details className="mt-2">
          <summary className="cursor-pointer text-[11px] font-medium text-muted-foreground uppercase hover:text-foreground">
            Input (as rendered)
          </summary>
          <JsonValue value={s.input} label={`Step ${s.index + 1} input`} className="mt-1" />
        </details>
      )}
    </li>
  );
}
