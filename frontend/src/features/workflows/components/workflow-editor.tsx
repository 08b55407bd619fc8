import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, History, Save, Trash2, Workflow as WorkflowIcon } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { recordBuilderFields } from '@/components/condition-builder/condition-builder';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ApiError, errorMessage } from '@/lib/backend';
import { fieldsQueryOptions, type Collection } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { useCreateWorkflow, useDeleteWorkflow, useUpdateWorkflow } from '../api/workflow-mutations';
import { useSecrets } from '../api/workflows-query';
import { newDraft, serialize, toDraft, type WorkflowDraft } from '../draft';
import { fieldErrors } from '../errors';
import {
  TRIGGER_LABELS,
  isRecordTrigger,
  type RunStatus,
  type TriggerType,
  type Workflow,
} from '../types';
import { RunsPanel } from './runs-panel';
import { TestRunPanel } from './test-run-panel';
import { WorkflowBuilder } from './workflow-builder';

export type EditorTab = 'builder' | 'runs';

interface WorkflowEditorProps {
  projectId: string;
  collections: Collection[];
  /** The saved workflow; null for a new one. */
  workflow: Workflow | null;
  initialTrigger?: TriggerType;
  tab: EditorTab;
  runs: { status?: RunStatus; offset: number; run?: string };
  canEdit: boolean;
  onBack: () => void;
  onTabChange: (tab: EditorTab) => void;
  onRunsChange: (next: { status?: RunStatus; offset?: number; run?: string }) => void;
  onCreated: (w: Workflow) => void;
}

/** One workflow: the builder with a test run beside it, and its run history. */
export function WorkflowEditor({
  projectId,
  collections,
  workflow,
  initialTrigger,
  tab,
  runs,
  canEdit,
  onBack,
  onTabChange,
  onRunsChange,
  onCreated,
}: WorkflowEditorProps) {
  const [draft, setDraft] = useState<WorkflowDraft>(() =>
    workflow ? toDraft(workflow) : newDraft(initialTrigger),
  );
  const [attempted, setAttempted] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const create = useCreateWorkflow(projectId);
  const update = useUpdateWorkflow(projectId);
  const del = useDeleteWorkflow(projectId);
  const mutation = workflow ? update : create;

  const collection = isRecordTrigger(draft.trigger.type) ? draft.trigger.collection : '';
  const fields = useQuery({ ...fieldsQueryOptions(projectId, collection), enabled: !!collection });
  const recordFields = useMemo(() => recordBuilderFields(fields.data ?? []), [fields.data]);
  const recordTypes = useMemo(
    () => Object.fromEntries(recordFields.map((f) => [f.name, f.type])),
    [recordFields],
  );
  const secrets = useSecrets(projectId);
  const secretNames = useMemo(() => (secrets.data ?? []).map((s) => s.name), [secrets.data]);

  const { body, problems } = serialize(draft, { triggerFieldTypes: recordTypes });
  const baseline = useMemo(
    () =>
      workflow
        ? JSON.stringify(serialize(toDraft(workflow), { triggerFieldTypes: recordTypes }).body)
        : null,
    [workflow, recordTypes],
  );
  const dirty = baseline === null || JSON.stringify(body) !== baseline;
  const errors = fieldErrors(mutation.error, attempted ? problems : []);

  async function save(): Promise<Workflow | null> {
    setAttempted(true);
    if (problems.length > 0) return null;
    try {
      if (workflow) {
        const saved = await update.mutateAsync({ id: workflow.id, body });
        setDraft((d) => toDraft(saved, d));
        return saved;
      }
      const saved = await create.mutateAsync(body);
      onCreated(saved);
      return saved;
    } catch {
      return null;
    }
  }

  const saveError =
    mutation.error instanceof ApiError
      ? mutation.error.detail
      : mutation.error
        ? errorMessage(mutation.error)
        : null;

  return (
    <>
      <PageHeader
        eyebrow={
          <button
            type="button"
            onClick={onBack}
            className="inline-flex cursor-pointer items-center gap-1 rounded hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
          >
            <ArrowLeft className="size-3.5" aria-hidden="true" />
            All workflows
          </button>
        }
        title={workflow?.name ?? 'New workflow'}
        description={
          workflow
            ? `${TRIGGER_LABELS[workflow.trigger_type].label}${workflow.trigger_config.collection ? ` on ${workflow.trigger_config.collection}` : ''} · ${workflow.steps.length} step${workflow.steps.length === 1 ? '' : 's'}${workflow.is_active ? '' : ' · inactive'}`
            : 'Choose a trigger, then add the steps to run.'
        }
        actions={
          canEdit && workflow ? (
            <Button variant="outline" onClick={() => setDeleting(true)}>
              <Trash2 aria-hidden="true" />
              Delete
            </Button>
          ) : undefined
        }
      />

      {workflow && (
        <div
          role="tablist"
          aria-label="Workflow"
          className="mb-6 flex gap-1 border-b border-border"
        >
          {(
            [
              ['builder', 'Builder', WorkflowIcon],
              ['runs', 'Runs', History],
            ] as const
          ).map(([id, label, Icon]) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`workflow-tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`workflow-panel-${id}`}
              onClick={() => onTabChange(id)}
              className={cn(
                '-mb-px inline-flex cursor-pointer items-center gap-2 border-b-2 px-3 pb-2.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-ring [&_svg]:size-4',
                tab === id
                  ? 'border-primary text-foreground'
                  : 'border-transparent text-muted-foreground hover:text-foreground',
              )}
            >
              <Icon aria-hidden="true" />
              {label}
            </button>
          ))}
        </div>
      )}

      {workflow && tab === 'runs' ? (
        <div role="tabpanel" id="workflow-panel-runs" aria-labelledby="workflow-tab-runs">
          <RunsPanel
            projectId={projectId}
            workflow={workflow}
            status={runs.status}
            offset={runs.offset}
            openRun={runs.run}
            canEdit={canEdit}
            onChange={onRunsChange}
          />
        </div>
      ) : (
        <div
          role={workflow ? 'tabpanel' : undefined}
          id="workflow-panel-builder"
          aria-labelledby={workflow ? 'workflow-tab-builder' : undefined}
          className="grid min-w-0 gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]"
        >
          <div className="grid min-w-0 content-start gap-4">
            {attempted && problems.length > 0 && (
              <Alert tone="danger" title="Fix the marked fields first">
                {problems.length} problem{problems.length === 1 ? '' : 's'}:{' '}
                {problems.map((p) => p.message).join('; ')}
              </Alert>
            )}
            {saveError && (
              <Alert tone="danger" title="The workflow was not saved">
                <span data-testid="save-error">{saveError}</span>
              </Alert>
            )}
            <WorkflowBuilder
              projectId={projectId}
              collections={collections}
              draft={draft}
              onChange={setDraft}
              recordFields={recordFields}
              recordTypes={recordTypes}
              secrets={secretNames}
              errors={errors}
              saved={workflow}
              readOnly={!canEdit}
            />
            {canEdit && (
              <div className="sticky bottom-0 z-10 -mx-1 flex flex-wrap items-center justify-end gap-2 rounded-t-xl border-t border-border bg-background/90 px-1 py-3 backdrop-blur">
                <span className="mr-auto text-xs text-muted-foreground" aria-live="polite">
                  {dirty ? (workflow ? 'Unsaved changes' : 'Not saved yet') : 'All changes saved'}
                </span>
                {workflow && dirty && (
                  <Button
                    variant="ghost"
                    onClick={() => {
                      setDraft(toDraft(workflow, draft));
                      setAttempted(false);
                      mutation.reset();
                    }}
                  >
                    Discard
                  </Button>
                )}
                <Button
                  onClick={() => void save()}
                  loading={mutation.isPending}
                  disabled={!!workflow && !dirty}
                >
                  <Save aria-hidden="true" />
                  {workflow ? 'Save workflow' : 'Create workflow'}
                </Button>
              </div>
            )}
          </div>
          <aside className="min-w-0 xl:sticky xl:top-20 xl:self-start">
            {workflow ? (
              <TestRunPanel
                projectId={projectId}
                workflow={workflow}
                dirty={dirty}
                onSave={save}
                canEdit={canEdit}
              />
            ) : (
              <Card>
                <CardHeader title="Test run" />
                <CardContent className="text-sm text-muted-foreground">
                  Create the workflow to try it with an input and watch each step run.
                </CardContent>
              </Card>
            )}
          </aside>
        </div>
      )}

      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title="Delete workflow"
        description={`“${workflow?.name ?? ''}” and all its runs will be deleted; running steps stop. This cannot be undone.`}
        confirmLabel="Delete workflow"
        pending={del.isPending}
        onConfirm={() =>
          workflow &&
          del.mutate(workflow, {
            onSuccess: onBack,
            onSettled: () => setDeleting(false),
          })
        }
      />
    </>
  );
}
