import { Plus } from 'lucide-react';
import type { BuilderField } from '@/components/condition-builder/condition-builder';
import type { FieldTypes } from '@/components/condition-builder/condition';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { Menu, menuItemClasses } from '@/components/ui/menu';
import { SwitchRow } from '@/components/ui/switch';
import type { Collection } from '@/lib/schema-meta';
import { newStepDraft, reorderSteps, type WorkflowDraft } from '../draft';
import type { FieldErrors } from '../errors';
import { templateSuggestions } from '../templates';
import { ACTION_LABELS, MAX_STEPS, STEP_ACTIONS, type StepAction, type Workflow } from '../types';
import { ACTION_ICONS } from './run-chips';
import { StepCard } from './step-card';
import { TemplateSuggestionsProvider } from './template-field';
import { TriggerForm } from './trigger-form';

interface WorkflowBuilderProps {
  projectId: string;
  collections: Collection[];
  draft: WorkflowDraft;
  onChange: (next: WorkflowDraft) => void;
  /** The trigger collection's fields (with system columns) and their types. */
  recordFields: BuilderField[];
  recordTypes: FieldTypes;
  secrets: string[];
  errors: FieldErrors;
  saved: Workflow | null;
  /** Viewers see the definition without changing it. */
  readOnly: boolean;
}

/** The visual builder: details, the trigger with its form, and the ordered steps. */
export function WorkflowBuilder({
  projectId,
  collections,
  draft,
  onChange,
  recordFields,
  recordTypes,
  secrets,
  errors,
  saved,
  readOnly,
}: WorkflowBuilderProps) {
  const steps = draft.steps;
  const setSteps = (next: WorkflowDraft['steps']) =>
    onChange({ ...draft, steps: reorderSteps(steps, next) });
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= steps.length) return;
    const next = [...steps];
    [next[i], next[j]] = [next[j]!, next[i]!];
    setSteps(next);
  };
  const add = (action: StepAction) =>
    onChange({ ...draft, steps: [...steps, newStepDraft(action)] });

  const addMenu = (
    <Menu
      label="Step actions"
      align="start"
      trigger={(props) => (
        <Button {...props} variant="outline" size="sm" disabled={steps.length >= MAX_STEPS}>
          <Plus aria-hidden="true" />
          Add step
        </Button>
      )}
    >
      {(close) =>
        STEP_ACTIONS.map((a) => {
          const Icon = ACTION_ICONS[a];
          return (
            <button
              key={a}
              type="button"
              role="menuitem"
              className={menuItemClasses}
              onClick={() => {
                close();
                add(a);
              }}
            >
              <Icon aria-hidden="true" />
              <span className="grid">
                <span>{ACTION_LABELS[a].label}</span>
                <span className="text-xs text-muted-foreground">{ACTION_LABELS[a].hint}</span>
              </span>
            </button>
          );
        })
      }
    </Menu>
  );

  const recordFieldNames = recordFields.map((f) => f.name);

  return (
    <fieldset disabled={readOnly} className="grid min-w-0 gap-6" data-testid="workflow-builder">
      <Card>
        <CardHeader title="Details" />
        <CardContent className="grid gap-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="workflow-name" label="Name" error={errors.at('name')}>
              <Input
                id="workflow-name"
                value={draft.name}
                maxLength={127}
                placeholder="Welcome new customers"
                onChange={(e) => onChange({ ...draft, name: e.target.value })}
                aria-invalid={errors.at('name') ? true : undefined}
              />
            </Field>
            <Field
              id="workflow-description"
              label="Description (optional)"
              error={errors.at('description')}
            >
              <Input
                id="workflow-description"
                maxLength={2000}
                value={draft.description}
                onChange={(e) => onChange({ ...draft, description: e.target.value })}
              />
            </Field>
          </div>
          <SwitchRow
            id="workflow-active"
            label="Active"
            hint="Inactive workflows start no runs from triggers; test runs still work."
            checked={draft.isActive}
            onCheckedChange={(isActive) => onChange({ ...draft, isActive })}
          />
        </CardContent>
      </Card>

      <Card className="overflow-visible" data-testid="trigger-card">
        <CardHeader title="Trigger" description="What starts a run." />
        <CardContent>
          <TriggerForm
            projectId={projectId}
            collections={collections}
            value={draft.trigger}
            onChange={(trigger) => onChange({ ...draft, trigger })}
            recordFields={recordFields}
            recordTypes={recordTypes}
            errors={errors}
            savedFunctionUrl={saved?.function_url ?? null}
            savedSlug={saved?.trigger_config.slug ?? null}
          />
        </CardContent>
      </Card>

      <section aria-labelledby="workflow-steps-title" className="grid min-w-0 gap-3">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <div>
            <h2 id="workflow-steps-title" className="text-base font-semibold">
              Steps
            </h2>
            <p className="text-sm text-muted-foreground">
              Run in order, each retried on failure; a condition step can skip ahead or end the run.
            </p>
          </div>
          {steps.length > 0 && addMenu}
        </div>
        {errors.at('steps') && (
          <p className="text-xs text-destructive" role="alert">
            {errors.at('steps')}
          </p>
        )}
        {steps.length === 0 ? (
          <EmptyState
            icon={Plus}
            title="No steps yet"
            description="Add the first step: call a URL, write a record, send an email, branch, wait, transform JSON or run a script."
            action={addMenu}
          />
        ) : (
          <ol className="grid min-w-0 gap-3">
            {steps.map((s, i) => {
              const suggestions = templateSuggestions({
                triggerType: draft.trigger.type,
                recordFields: recordFieldNames,
                earlierSteps: steps.slice(0, i),
                secrets,
              });
              const conditionPaths = suggestions
                .filter((x) => !x.path.startsWith('env.') && !x.path.endsWith('.'))
                .map((x) => ({ name: x.path, type: 'any' }));
              return (
                <li key={s.key} className="min-w-0">
                  <TemplateSuggestionsProvider value={suggestions}>
                    <StepCard
                      projectId={projectId}
                      index={i}
                      steps={steps}
                      step={s}
                      collections={collections}
                      conditionPaths={conditionPaths}
                      errors={errors}
                      onChange={(next) =>
                        onChange({
                          ...draft,
                          steps: steps.map((x) => (x.key === s.key ? next : x)),
                        })
                      }
                      onMove={(by) => move(i, by)}
                      onRemove={() => setSteps(steps.filter((x) => x.key !== s.key))}
                    />
                  </TemplateSuggestionsProvider>
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </fieldset>
  );
}
