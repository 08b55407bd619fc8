import { useState } from 'react';
import { Play } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { Field } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { useRunWorkflow } from '../api/workflow-mutations';
import { isRecordTrigger, type Workflow } from '../types';
import { RunView } from './run-view';

interface TestRunPanelProps {
  projectId: string;
  workflow: Workflow | null;
  /** Unsaved changes: the run button saves them first. */
  dirty: boolean;
  /** Saves the draft; resolves with the saved workflow (null when it could not be saved). */
  onSave: () => Promise<Workflow | null>;
  canEdit: boolean;
}

/** Start a run with an input and watch it step by step. */
export function TestRunPanel({ projectId, workflow, dirty, onSave, canEdit }: TestRunPanelProps) {
  const [input, setInput] = useState('{\n  \n}');
  const [inputError, setInputError] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const run = useRunWorkflow(projectId);

  async function start() {
    let parsed: unknown = {};
    if (input.trim()) {
      try {
        parsed = JSON.parse(input) as unknown;
      } catch (e) {
        setInputError(`Invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    setInputError(null);
    let target = workflow;
    if (dirty || !target) {
      setSaving(true);
      target = await onSave().finally(() => setSaving(false));
      if (!target) return;
    }
    run.mutate({ id: target.id, input: parsed }, { onSuccess: (r) => setRunId(r.run_id) });
  }

  const recordHint =
    workflow && isRecordTrigger(workflow.trigger_type)
      ? ' A test run has no trigger.record: use {{input.…}} values here to try the steps.'
      : '';

  return (
    <Card className="min-w-0" data-testid="test-run">
      <CardHeader
        title="Test run"
        description={`Runs the saved workflow now with this input (as {{input.…}}), whatever its trigger.${recordHint}`}
      />
      <CardContent className="grid gap-4">
        <Field id="test-run-input" label="Input (JSON)" error={inputError ?? undefined}>
          <Textarea
            id="test-run-input"
            rows={5}
            spellCheck={false}
            className="font-mono text-xs"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            aria-invalid={inputError ? true : undefined}
          />
        </Field>
        {canEdit && (
          <div className="flex flex-wrap items-center justify-end gap-2">
            {dirty && workflow && (
              <span className="text-xs text-muted-foreground">
                Unsaved changes are saved first.
              </span>
            )}
            <Button onClick={() => void start()} loading={saving || run.isPending}>
              <Play aria-hidden="true" />
              {dirty || !workflow ? 'Save and run' : 'Run'}
            </Button>
          </div>
        )}
        {runId && workflow && (
          <div className="border-t border-border pt-4">
            <RunView
              key={runId}
              projectId={projectId}
              workflowId={workflow.id}
              runId={runId}
              canEdit={canEdit}
            />
          </div>
        )}
      </CardContent>
    </Card>
  );
}
