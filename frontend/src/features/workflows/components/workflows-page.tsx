import { useState } from 'react';
import {
  KeyRound,
  MoreHorizontal,
  Pencil,
  Plus,
  SearchX,
  Trash2,
  Workflow as WorkflowIcon,
  Zap,
} from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Menu, menuItemClasses, MenuSeparator } from '@/components/ui/menu';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { Collection } from '@/lib/schema-meta';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import { useDeleteWorkflow, useUpdateWorkflow } from '../api/workflow-mutations';
import { useLastRuns, useWorkflows } from '../api/workflows-query';
import {
  TRIGGER_LABELS,
  isRecordTrigger,
  type TriggerType,
  type Workflow,
  type WorkflowsSearch,
  type WorkflowsView,
} from '../types';
import { FunctionsPanel } from './functions-panel';
import { RunStatusChip, TRIGGER_ICONS } from './run-chips';
import { SecretsPanel } from './secrets-panel';
import { WorkflowEditor } from './workflow-editor';

interface WorkflowsPageProps {
  projectId: string;
  collections: Collection[];
  search: WorkflowsSearch;
  onSearchChange: (next: Partial<WorkflowsSearch>, opts?: { replace?: boolean }) => void;
  /** Developers and up edit and run workflows; viewers read them. */
  canEdit: boolean;
}

const VIEWS: { id: WorkflowsView; label: string; icon: typeof Zap }[] = [
  { id: 'workflows', label: 'Workflows', icon: WorkflowIcon },
  { id: 'functions', label: 'Functions', icon: Zap },
  { id: 'secrets', label: 'Secrets', icon: KeyRound },
];

/** What starts a workflow, in a few words. */
function triggerSummary(w: Workflow): string {
  const c = w.trigger_config;
  if (isRecordTrigger(w.trigger_type))
    return `${c.collection ?? '?'}${c.condition ? ' · when …' : ''}`;
  if (w.trigger_type === 'schedule') return `${c.cron ?? ''} (${c.timezone ?? 'UTC'})`;
  if (w.trigger_type === 'http') return `/functions/${c.slug ?? ''}`;
  return 'by hand';
}

export function WorkflowsPage({
  projectId,
  collections,
  search,
  onSearchChange,
  canEdit,
}: WorkflowsPageProps) {
  const { data: workflows } = useWorkflows(projectId);
  const openWorkflow = (w: Workflow) =>
    onSearchChange({
      workflow: w.id,
      tab: undefined,
      run: undefined,
      status: undefined,
      offset: undefined,
      trigger: undefined,
    });
  const newWorkflow = (trigger?: TriggerType) =>
    onSearchChange({ workflow: 'new', trigger, tab: undefined, run: undefined });
  const back = () =>
    onSearchChange({
      workflow: undefined,
      trigger: undefined,
      tab: undefined,
      run: undefined,
      status: undefined,
      offset: undefined,
    });

  if (search.workflow) {
    const workflow =
      search.workflow === 'new' ? null : (workflows.find((w) => w.id === search.workflow) ?? null);
    if (search.workflow !== 'new' && !workflow)
      return (
        <EmptyState
          icon={SearchX}
          title="Workflow not found"
          description="It may have been deleted."
          action={
            <Button variant="outline" onClick={back}>
              All workflows
            </Button>
          }
        />
      );
    return (
      <WorkflowEditor
        key={workflow?.id ?? 'new'}
        projectId={projectId}
        collections={collections}
        workflow={workflow}
        initialTrigger={search.trigger}
        tab={search.tab ?? 'builder'}
        runs={{ status: search.status, offset: search.offset ?? 0, run: search.run }}
        canEdit={canEdit}
        onBack={back}
        onTabChange={(tab) =>
          onSearchChange({ tab: tab === 'runs' ? 'runs' : undefined, run: undefined })
        }
        onRunsChange={(next) => onSearchChange(next, { replace: !('run' in next) })}
        onCreated={(w) => onSearchChange({ workflow: w.id, trigger: undefined }, { replace: true })}
      />
    );
  }

  const view = search.view ?? 'workflows';
  const newButton = canEdit && (
    <Button onClick={() => newWorkflow(view === 'functions' ? 'http' : undefined)}>
      <Plus aria-hidden="true" />
      New workflow
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Workflows"
        description="Automations that run steps when records change, on a schedule, by hand or as HTTP functions. Every step is a durable job: retried with backoff, never run twice after it finished."
        actions={newButton || undefined}
      />
      <div role="tablist" aria-label="Workflows" className="mb-6 flex gap-1 border-b border-border">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            id={`workflows-tab-${v.id}`}
            aria-selected={view === v.id}
            aria-controls={`workflows-panel-${v.id}`}
            onClick={() => onSearchChange({ view: v.id === 'workflows' ? undefined : v.id })}
            className={cn(
              '-mb-px inline-flex cursor-pointer items-center gap-2 border-b-2 px-3 pb-2.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-ring [&_svg]:size-4',
              view === v.id
                ? 'border-primary text-foreground'
                : 'border-transparent text-muted-foreground hover:text-foreground',
            )}
          >
            <v.icon aria-hidden="true" />
            {v.label}
            {v.id === 'functions' && workflows.some((w) => w.trigger_type === 'http') && (
              <Badge tone="accent" className="px-1.5 py-0">
                {workflows.filter((w) => w.trigger_type === 'http').length}
              </Badge>
            )}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`workflows-panel-${view}`} aria-labelledby={`workflows-tab-${view}`}>
        {view === 'functions' ? (
          <FunctionsPanel
            workflows={workflows}
            canEdit={canEdit}
            onOpen={openWorkflow}
            onNew={() => newWorkflow('http')}
          />
        ) : view === 'secrets' ? (
          <SecretsPanel projectId={projectId} canEdit={canEdit} />
        ) : workflows.length === 0 ? (
          <EmptyState
            icon={WorkflowIcon}
            title="No workflows yet"
            description="Create one to act on new records, run a nightly job, or answer HTTP calls with a few steps."
            action={newButton || undefined}
          />
        ) : (
          <WorkflowsTable
            projectId={projectId}
            workflows={workflows}
            canEdit={canEdit}
            onOpen={openWorkflow}
          />
        )}
      </div>
    </>
  );
}

function WorkflowsTable({
  projectId,
  workflows,
  canEdit,
  onOpen,
}: {
  projectId: string;
  workflows: Workflow[];
  canEdit: boolean;
  onOpen: (w: Workflow) => void;
}) {
  const update = useUpdateWorkflow(projectId, { inline: true });
  const del = useDeleteWorkflow(projectId);
  const [deleting, setDeleting] = useState<Workflow | null>(null);
  const lastRuns = useLastRuns(
    projectId,
    workflows.map((w) => w.id),
  );

  return (
    <Card className="overflow-hidden">
      <Table aria-label="Workflows">
        <THead>
          <tr>
            <TH className="w-16">Active</TH>
            <TH>Workflow</TH>
            <TH className="hidden md:table-cell">Trigger</TH>
            <TH className="hidden sm:table-cell">Steps</TH>
            <TH>Last run</TH>
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          </tr>
        </THead>
        <TBody>
          {workflows.map((w, i) => {
            const Icon = TRIGGER_ICONS[w.trigger_type];
            const last = lastRuns[i]?.data?.runs[0];
            return (
              <TR
                key={w.id}
                data-testid="workflow-row"
                data-workflow-name={w.name}
                className="cursor-pointer"
                onClick={() => onOpen(w)}
              >
                <TD onClick={(e) => e.stopPropagation()}>
                  <Switch
                    id={`workflow-active-${w.id}`}
                    checked={w.is_active}
                    disabled={!canEdit || update.isPending}
                    onCheckedChange={(is_active) =>
                      update.mutate({ id: w.id, body: { is_active } })
                    }
                    aria-label={`Active: ${w.name}`}
                  />
                </TD>
                <TD className="max-w-xs">
                  <button
                    type="button"
                    className="cursor-pointer rounded text-left font-medium hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                    onClick={(e) => {
                      e.stopPropagation();
                      onOpen(w);
                    }}
                  >
                    {w.name}
                  </button>
                  {w.description && (
                    <span className="block truncate text-xs text-muted-foreground">
                      {w.description}
                    </span>
                  )}
                  <span className="flex items-center gap-1.5 text-xs text-muted-foreground md:hidden">
                    <Icon className="size-3" aria-hidden="true" />
                    {TRIGGER_LABELS[w.trigger_type].label}
                  </span>
                </TD>
                <TD className="hidden md:table-cell">
                  <span className="flex items-center gap-2 text-sm">
                    <Icon className="size-4 text-muted-foreground" aria-hidden="true" />
                    {TRIGGER_LABELS[w.trigger_type].label}
                  </span>
                  <code className="block max-w-64 truncate font-mono text-xs text-muted-foreground">
                    {triggerSummary(w)}
                  </code>
                  {w.trigger_type === 'schedule' && w.next_run_at && (
                    <span
                      className="block text-xs text-muted-foreground"
                      title={formatDateTime(w.next_run_at)}
                    >
                      next {formatRelative(w.next_run_at)}
                    </span>
                  )}
                </TD>
                <TD className="hidden text-sm sm:table-cell">{w.steps.length}</TD>
                <TD>
                  {last ? (
                    <span
                      className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs whitespace-nowrap"
                      title={formatDateTime(last.created_at)}
                      data-testid="last-run"
                    >
                      <RunStatusChip status={last.status} />
                      {formatRelative(last.created_at)}
                    </span>
                  ) : (
                    <span className="text-xs text-muted-foreground">Never</span>
                  )}
                </TD>
                <TD onClick={(e) => e.stopPropagation()}>
                  {canEdit && (
                    <Menu
                      label={`Actions for ${w.name}`}
                      trigger={(props) => (
                        <Button
                          {...props}
                          variant="ghost"
                          size="icon"
                          aria-label={`More actions for ${w.name}`}
                        >
                          <MoreHorizontal aria-hidden="true" />
                        </Button>
                      )}
                    >
                      {(close) => (
                        <>
                          <button
                            type="button"
                            role="menuitem"
                            className={menuItemClasses}
                            onClick={() => {
                              close();
                              onOpen(w);
                            }}
                          >
                            <Pencil aria-hidden="true" />
                            Edit
                          </button>
                          <MenuSeparator />
                          <button
                            type="button"
                            role="menuitem"
                            className={cn(menuItemClasses, 'text-destructive')}
                            onClick={() => {
                              close();
                              setDeleting(w);
                            }}
                          >
                            <Trash2 aria-hidden="true" />
                            Delete
                          </button>
                        </>
                      )}
                    </Menu>
                  )}
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete workflow"
        description={`“${deleting?.name ?? ''}” and all its runs will be deleted; running steps stop. This cannot be undone.`}
        confirmLabel="Delete workflow"
        pending={del.isPending}
        onConfirm={() => deleting && del.mutate(deleting, { onSettled: () => setDeleting(null) })}
      />
    </Card>
  );
}

export function WorkflowsSkeleton() {
  return (
    <PageSkeleton label="Loading workflows" titleWidth="w-40">
      <Skeleton className="mb-6 h-9 w-80 max-w-full" />
      <Skeleton className="h-64 rounded-xl" />
    </PageSkeleton>
  );
}
