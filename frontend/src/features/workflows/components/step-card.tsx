import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, ListPlus, Trash2 } from 'lucide-react';
import type { BuilderField } from '@/components/condition-builder/condition-builder';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { fieldsQueryOptions, type Collection } from '@/lib/schema-meta';
import { ACTION_KEYS, type Branch, type StepDraft } from '../draft';
import type { FieldErrors } from '../errors';
import { ACTION_LABELS, DEFAULT_RETRIES, HTTP_METHODS } from '../types';
import { ConditionEditor } from './condition-editor';
import { ACTION_ICONS } from './run-chips';
import { TemplateField } from './template-field';

interface StepCardProps {
  projectId: string;
  index: number;
  steps: StepDraft[];
  step: StepDraft;
  collections: Collection[];
  /** Run-context paths a condition step may test. */
  conditionPaths: BuilderField[];
  errors: FieldErrors;
  onChange: (next: StepDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

const TEMPLATE_HINT = 'Type {{ for trigger, input, step and secret values.';

function humanSeconds(text: string): string | null {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) return null;
  const parts: string[] = [];
  const d = Math.floor(n / 86400);
  const h = Math.floor((n % 86400) / 3600);
  const m = Math.floor((n % 3600) / 60);
  const s = n % 60;
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s) parts.push(`${s} s`);
  return parts.join(' ');
}

/** One step of the builder: its action's form, retries and timeout, and its place in the list. */
export function StepCard({
  projectId,
  index,
  steps,
  step,
  collections,
  conditionPaths,
  errors,
  onChange,
  onMove,
  onRemove,
}: StepCardProps) {
  const Icon = ACTION_ICONS[step.action];
  const label = ACTION_LABELS[step.action].label;
  const id = (k: string) => `step-${step.key}-${k}`;
  const err = (k: string) => errors.at(`steps[${index}].${k}`);
  const setValue = (k: string, v: string) =>
    onChange({ ...step, values: { ...step.values, [k]: v } });
  const value = (k: string) => step.values[k] ?? '';
  const rest = errors.stepRest(index, [
    ...ACTION_KEYS[step.action],
    'name',
    'retries',
    'timeout_ms',
  ]);

  const template = (
    k: string,
    fieldLabel: string,
    opts: { multiline?: boolean; rows?: number; placeholder?: string; hint?: string } = {},
  ) => (
    <Field id={id(k)} label={fieldLabel} hint={opts.hint ?? TEMPLATE_HINT} error={err(k)}>
      <TemplateField
        id={id(k)}
        value={value(k)}
        onChange={(v) => setValue(k, v)}
        multiline={opts.multiline}
        rows={opts.rows}
        placeholder={opts.placeholder}
        invalid={Boolean(err(k))}
      />
    </Field>
  );

  const collectionSelect = (
    <Field id={id('collection')} label="Collection" error={err('collection')}>
      <Select
        id={id('collection')}
        value={value('collection')}
        onChange={(e) => setValue('collection', e.target.value)}
        aria-invalid={err('collection') ? true : undefined}
      >
        <option value="">Choose a collection…</option>
        {collections
          .filter((c) => !c.is_system || c.name === value('collection'))
          .map((c) => (
            <option key={c.id} value={c.name}>
              {c.display_name || c.name} ({c.name})
            </option>
          ))}
      </Select>
    </Field>
  );

  const later = steps.slice(index + 1);
  const branch = (k: 'then' | 'else', fieldLabel: string) => {
    const b = step[k];
    const encoded = b.to === 'step' ? `step:${b.key}` : b.to;
    const targetIndex = b.to === 'step' ? steps.findIndex((s) => s.key === b.key) : -1;
    return (
      <Field id={id(k)} label={fieldLabel} error={err(k)}>
        <Select
          id={id(k)}
          value={encoded}
          onChange={(e) => {
            const v = e.target.value;
            const next: Branch =
              v === 'next' || v === 'end' ? { to: v } : { to: 'step', key: v.slice(5) };
            onChange({ ...step, [k]: next });
          }}
        >
          <option value="next">Continue with the next step</option>
          <option value="end">End the run</option>
          {b.to === 'step' && targetIndex >= 0 && targetIndex <= index && (
            <option value={encoded}>Step {targetIndex + 1} (earlier: not allowed)</option>
          )}
          {later.map((s, i) => (
            <option key={s.key} value={`step:${s.key}`}>
              Go to step {index + i + 2}: {s.name.trim() || ACTION_LABELS[s.action].label}
            </option>
          ))}
        </Select>
      </Field>
    );
  };

  return (
    <Card
      className="min-w-0 overflow-visible"
      data-testid="step-card"
      data-action={step.action}
      aria-label={`Step ${index + 1}: ${label}`}
      role="group"
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-border px-4 py-2.5">
        <Badge tone="accent" className="font-mono">
          {index + 1}
        </Badge>
        <Icon className="size-4 text-primary" aria-hidden="true" />
        <span className="text-sm font-medium">{label}</span>
        <div className="ml-auto flex items-center gap-0.5">
          <Button
            variant="ghost"
            size="icon"
            className="size-8"
            aria-label={`Move step ${index + 1} up`}
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            <ArrowUp aria-hidden="true" />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            className="size-8"
            aria-label={`Move step ${index + 1} down`}
            disabled={index === steps.length - 1}
            onClick={() => onMove(1)}
          >
            <ArrowDown aria-hidden="true" />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            className="size-8 text-muted-foreground hover:text-destructive"
            aria-label={`Delete step ${index + 1}`}
            onClick={onRemove}
          >
            <Trash2 aria-hidden="true" />
          </Button>
        </div>
      </div>

      <div className="grid gap-4 p-4">
        <Field id={id('name')} label="Step name (optional)" error={err('name')}>
          <Input
            id={id('name')}
            value={step.name}
            maxLength={127}
            placeholder={label}
            onChange={(e) => onChange({ ...step, name: e.target.value })}
          />
        </Field>

        {step.action === 'http_request' && (
          <>
            <div className="grid gap-4 sm:grid-cols-[8rem_minmax(0,1fr)]">
              <Field id={id('method')} label="Method" error={err('method')}>
                <Select
                  id={id('method')}
                  value={value('method') || 'POST'}
                  onChange={(e) => setValue('method', e.target.value)}
                >
                  {HTTP_METHODS.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </Select>
              </Field>
              {template('url', 'URL', { placeholder: 'https://api.example.com/hooks' })}
            </div>
            {template('headers', 'Headers (JSON object)', {
              multiline: true,
              rows: 3,
              placeholder: '{"Authorization": "Bearer {{env.API_TOKEN}}"}',
            })}
            {template('body', 'Body', {
              multiline: true,
              rows: 5,
              placeholder: '{"title": "{{trigger.record.title}}"}',
              hint: 'JSON (sent as application/json) or text. Type {{ for values.',
            })}
          </>
        )}

        {(step.action === 'create_record' ||
          step.action === 'update_record' ||
          step.action === 'delete_record' ||
          step.action === 'query_records') && (
          <div className="grid gap-4 sm:grid-cols-2">
            {collectionSelect}
            {(step.action === 'update_record' || step.action === 'delete_record') &&
              template('id', 'Record id', { placeholder: '{{trigger.record.id}}' })}
          </div>
        )}
        {(step.action === 'create_record' || step.action === 'update_record') && (
          <DataField
            projectId={projectId}
            step={step}
            id={id('data')}
            error={err('data')}
            onFill={(text) => setValue('data', text)}
          >
            <TemplateField
              id={id('data')}
              value={value('data')}
              onChange={(v) => setValue('data', v)}
              multiline
              rows={5}
              placeholder={'{"title": "{{trigger.record.title}}"}'}
              invalid={Boolean(err('data'))}
            />
          </DataField>
        )}
        {step.action === 'query_records' && (
          <>
            {template('filter', 'Filter (JSON, optional)', {
              multiline: true,
              rows: 3,
              placeholder: '{"status__eq": "open", "owner__eq": "{{trigger.record.owner}}"}',
              hint: 'field__op keys as in the data API, or a filter tree. Type {{ for values.',
            })}
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id={id('sort')} label="Sort (optional)" error={err('sort')}>
                <Input
                  id={id('sort')}
                  value={value('sort')}
                  onChange={(e) => setValue('sort', e.target.value)}
                  placeholder="-created_at,title"
                  className="font-mono text-xs"
                />
              </Field>
              <Field id={id('limit')} label="Limit (≤ 1000)" error={err('limit')}>
                <Input
                  id={id('limit')}
                  type="number"
                  min={1}
                  max={1000}
                  value={value('limit')}
                  onChange={(e) => setValue('limit', e.target.value)}
                  placeholder="100"
                />
              </Field>
            </div>
          </>
        )}

        {step.action === 'send_email' && (
          <>
            <div className="grid gap-4 sm:grid-cols-2">
              {template('to', 'To', { placeholder: '{{trigger.record.email}}' })}
              {template('subject', 'Subject', { placeholder: 'Welcome, {{input.name}}' })}
            </div>
            {template('text', 'Text', { multiline: true, rows: 4 })}
            {template('html', 'HTML (optional)', { multiline: true, rows: 3 })}
          </>
        )}

        {step.action === 'condition' && (
          <>
            <ConditionEditor
              id={id('condition')}
              label="Condition"
              value={step.condition}
              onChange={(condition) => onChange({ ...step, condition })}
              fields={conditionPaths}
              types={{}}
              fallbackType="any"
              variables={[]}
              freeFields
              emptyText="Add a rule: paths such as steps.0.output.status or trigger.record.total."
              error={errors.under(`steps[${index}].condition`)}
            />
            <div className="grid gap-4 sm:grid-cols-2">
              {branch('then', 'When true')}
              {branch('else', 'When false')}
            </div>
          </>
        )}

        {step.action === 'delay' && (
          <Field
            id={id('seconds')}
            label="Wait (seconds)"
            hint={humanSeconds(value('seconds')) ?? 'From 1 second to 30 days; survives restarts.'}
            error={err('seconds')}
            className="sm:max-w-xs"
          >
            <Input
              id={id('seconds')}
              type="number"
              min={1}
              max={2592000}
              value={value('seconds')}
              onChange={(e) => setValue('seconds', e.target.value)}
            />
          </Field>
        )}

        {step.action === 'transform' &&
          template('template', 'Template (JSON)', {
            multiline: true,
            rows: 6,
            placeholder:
              '{"title": "{{trigger.record.title}}", "total": "{{steps.0.output.count}}"}',
            hint: 'Any JSON; a string that is exactly one {{path}} keeps that value’s type.',
          })}

        {step.action === 'script' && (
          <>
            <Field
              id={id('code')}
              label="Code (JavaScript)"
              hint="The body of an async function that sees input, trigger, steps and env; its return value is the output. No network, files or timers."
              error={err('code')}
            >
              <Textarea
                id={id('code')}
                rows={8}
                spellCheck={false}
                className="font-mono text-xs"
                value={value('code')}
                onChange={(e) => setValue('code', e.target.value)}
                aria-invalid={err('code') ? true : undefined}
              />
            </Field>
            <Field
              id={id('memory_mb')}
              label="Memory (MB, ≤ 128)"
              error={err('memory_mb')}
              className="sm:max-w-xs"
            >
              <Input
                id={id('memory_mb')}
                type="number"
                min={1}
                max={128}
                placeholder="32"
                value={value('memory_mb')}
                onChange={(e) => setValue('memory_mb', e.target.value)}
              />
            </Field>
          </>
        )}

        <div className="grid gap-4 border-t border-border pt-3 sm:grid-cols-2">
          <Field
            id={id('retries')}
            label="Retries"
            hint={`0–10 tries again after a failure, with backoff (default ${DEFAULT_RETRIES}).`}
            error={err('retries')}
          >
            <Input
              id={id('retries')}
              type="number"
              min={0}
              max={10}
              placeholder={String(DEFAULT_RETRIES)}
              value={step.retries}
              onChange={(e) => onChange({ ...step, retries: e.target.value })}
            />
          </Field>
          <Field
            id={id('timeout_ms')}
            label="Timeout (ms)"
            hint={
              step.action === 'script'
                ? 'Up to 10,000 (default 1,000).'
                : 'Up to 300,000 (optional).'
            }
            error={err('timeout_ms')}
          >
            <Input
              id={id('timeout_ms')}
              type="number"
              min={1}
              placeholder={step.action === 'script' ? '1000' : ''}
              value={step.timeout}
              onChange={(e) => onChange({ ...step, timeout: e.target.value })}
            />
          </Field>
        </div>

        {rest.length > 0 && (
          <ul
            className="grid gap-1 text-xs text-destructive"
            role="alert"
            data-testid="step-errors"
          >
            {rest.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

/** The record data field, with a button that writes a JSON skeleton of the collection's fields. */
function DataField({
  projectId,
  step,
  id,
  error,
  onFill,
  children,
}: {
  projectId: string;
  step: StepDraft;
  id: string;
  error: string | undefined;
  onFill: (text: string) => void;
  children: ReactNode;
}) {
  const collection = step.values.collection ?? '';
  const fields = useQuery({ ...fieldsQueryOptions(projectId, collection), enabled: !!collection });
  const names = (fields.data ?? [])
    .filter((f) => !f.is_system && !f.is_deleted && !f.is_hidden)
    .map((f) => f.name);
  return (
    <div className="relative min-w-0">
      {names.length > 0 && (
        <Button
          variant="ghost"
          size="sm"
          className="absolute -top-1.5 right-0 h-6 px-2"
          onClick={() =>
            onFill(JSON.stringify(Object.fromEntries(names.map((n) => [n, ''])), null, 2))
          }
        >
          <ListPlus aria-hidden="true" />
          Fill with fields
        </Button>
      )}
      <Field
        id={id}
        label="Data (JSON object)"
        hint="A JSON object of field values, or one {{path}} giving an object. Type {{ for values."
        error={error}
      >
        {children}
      </Field>
    </div>
  );
}
