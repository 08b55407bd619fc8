import { useEffect, useMemo, useState } from 'react';
import type { BuilderField } from '@/components/condition-builder/condition-builder';
import type { FieldTypes } from '@/components/condition-builder/condition';
import { CopyButton } from '@/components/ui/copy-button';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { SwitchRow } from '@/components/ui/switch';
import { errorMessage } from '@/lib/backend';
import type { Collection } from '@/lib/schema-meta';
import { cn, formatRelative } from '@/lib/utils';
import { useCronPreview } from '../api/workflows-query';
import type { TriggerDraft } from '../draft';
import type { FieldErrors } from '../errors';
import {
  FUNCTION_PRINCIPALS,
  PRINCIPAL_LABELS,
  TRIGGER_LABELS,
  TRIGGER_TYPES,
  isRecordTrigger,
} from '../types';
import { ConditionEditor } from './condition-editor';
import { TRIGGER_ICONS } from './run-chips';

/** Variables that hold in a record trigger's condition (the writer, when an app user). */
const TRIGGER_VARIABLES = [
  { name: '$current_app_user_id', label: 'The app user who made the change' },
  { name: '$now', label: 'Now' },
];

const CRON_PRESETS = [
  { cron: '*/5 * * * *', label: 'Every 5 minutes' },
  { cron: '0 * * * *', label: 'Hourly' },
  { cron: '0 9 * * *', label: 'Daily at 09:00' },
  { cron: '0 9 * * 1-5', label: 'Weekdays at 09:00' },
  { cron: '0 0 1 * *', label: 'Monthly' },
];

function timeZones(): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return [...new Set(['UTC', local, ...zones])];
}

function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setCurrent(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return current;
}

interface TriggerFormProps {
  projectId: string;
  collections: Collection[];
  value: TriggerDraft;
  onChange: (next: TriggerDraft) => void;
  recordFields: BuilderField[];
  recordTypes: FieldTypes;
  errors: FieldErrors;
  /** The saved function URL, when the workflow is a saved http workflow. */
  savedFunctionUrl: string | null;
  savedSlug: string | null;
}

export function TriggerForm({
  projectId,
  collections,
  value,
  onChange,
  recordFields,
  recordTypes,
  errors,
  savedFunctionUrl,
  savedSlug,
}: TriggerFormProps) {
  const set = (patch: Partial<TriggerDraft>) => onChange({ ...value, ...patch });
  const userCollections = collections.filter((c) => !c.is_system || c.name === value.collection);

  return (
    <div className="grid gap-5">
      <div
        role="radiogroup"
        aria-label="Trigger"
        className="grid grid-cols-1 gap-2 sm:grid-cols-2 xl:grid-cols-3"
      >
        {TRIGGER_TYPES.map((t) => {
          const Icon = TRIGGER_ICONS[t];
          const checked = value.type === t;
          return (
            <button
              key={t}
              type="button"
              role="radio"
              aria-checked={checked}
              onClick={() => set({ type: t })}
              className={cn(
                'flex cursor-pointer items-start gap-2.5 rounded-lg border p-3 text-left transition-colors focus-visible:outline-2 focus-visible:outline-ring',
                checked
                  ? 'border-primary bg-accent/60 ring-1 ring-primary/30'
                  : 'border-border hover:bg-muted/60',
              )}
            >
              <Icon
                className={cn(
                  'mt-0.5 size-4 shrink-0',
                  checked ? 'text-primary' : 'text-muted-foreground',
                )}
                aria-hidden="true"
              />
              <span className="min-w-0">
                <span className="block text-sm font-medium">{TRIGGER_LABELS[t].label}</span>
                <span className="block text-xs text-muted-foreground">
                  {TRIGGER_LABELS[t].hint}
                </span>
              </span>
            </button>
          );
        })}
      </div>
      {errors.at('trigger_type') && (
        <p className="text-xs text-destructive" role="alert">
          {errors.at('trigger_type')}
        </p>
      )}

      {isRecordTrigger(value.type) && (
        <>
          <Field
            id="trigger-collection"
            label="Collection"
            error={errors.at('trigger_config.collection')}
            className="sm:max-w-sm"
          >
            <Select
              id="trigger-collection"
              value={value.collection}
              onChange={(e) => set({ collection: e.target.value })}
              aria-invalid={errors.at('trigger_config.collection') ? true : undefined}
            >
              <option value="">Choose a collection…</option>
              {userCollections.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.display_name || c.name} ({c.name})
                </option>
              ))}
            </Select>
          </Field>
          {value.collection && (
            <ConditionEditor
              id="trigger-condition"
              label={
                value.type === 'record.deleted'
                  ? 'Only when the deleted record matches (optional)'
                  : 'Only when the record matches (optional)'
              }
              value={value.condition}
              onChange={(condition) => set({ condition })}
              fields={recordFields}
              types={recordTypes}
              variables={TRIGGER_VARIABLES}
              emptyText="No rules: every record starts a run."
              error={errors.under('trigger_config.condition')}
            />
          )}
        </>
      )}

      {value.type === 'schedule' && (
        <ScheduleForm projectId={projectId} value={value} onChange={set} errors={errors} />
      )}

      {value.type === 'http' && (
        <HttpForm
          projectId={projectId}
          value={value}
          onChange={set}
          errors={errors}
          savedFunctionUrl={value.slug === savedSlug ? savedFunctionUrl : null}
        />
      )}

      {value.type === 'manual' && (
        <p className="text-sm text-muted-foreground">
          Nothing to set: a manual workflow runs when you start it with <strong>Test run</strong>,
          or with <code className="font-mono text-xs">POST …/workflows/{'{id}'}/run</code>.
        </p>
      )}
    </div>
  );
}

function ScheduleForm({
  projectId,
  value,
  onChange,
  errors,
}: {
  projectId: string;
  value: TriggerDraft;
  onChange: (patch: Partial<TriggerDraft>) => void;
  errors: FieldErrors;
}) {
  const zones = useMemo(timeZones, []);
  const cron = useDebounced(value.cron.trim(), 300);
  const tz = value.timezone || 'UTC';
  const preview = useCronPreview(projectId, cron, tz);
  const previewError = preview.isError ? errorMessage(preview.error) : undefined;
  const fmt = useMemo(
    () =>
      new Intl.DateTimeFormat(undefined, {
        weekday: 'short',
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: tz,
        timeZoneName: 'short',
      }),
    [tz],
  );
  const timezoneProblem = previewError && /time ?zone/i.test(previewError);

  return (
    <div className="grid gap-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="trigger-cron"
          label="Cron expression"
          hint="5 fields: minute hour day-of-month month day-of-week"
          error={errors.at('trigger_config.cron') ?? (!timezoneProblem ? previewError : undefined)}
        >
          <Input
            id="trigger-cron"
            value={value.cron}
            onChange={(e) => onChange({ cron: e.target.value })}
            placeholder="0 9 * * 1-5"
            className="font-mono"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={errors.at('trigger_config.cron') || previewError ? true : undefined}
          />
        </Field>
        <Field
          id="trigger-timezone"
          label="Time zone"
          error={
            errors.at('trigger_config.timezone') ?? (timezoneProblem ? previewError : undefined)
          }
        >
          <Select
            id="trigger-timezone"
            value={tz}
            onChange={(e) => onChange({ timezone: e.target.value })}
          >
            {(zones.includes(tz) ? zones : [tz, ...zones]).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="flex flex-wrap gap-1.5" role="group" aria-label="Cron presets">
        {CRON_PRESETS.map((p) => (
          <button
            key={p.cron}
            type="button"
            onClick={() => onChange({ cron: p.cron })}
            className={cn(
              'cursor-pointer rounded-full border px-2.5 py-1 text-xs transition-colors',
              value.cron.trim() === p.cron
                ? 'border-primary bg-accent text-accent-foreground'
                : 'border-border text-muted-foreground hover:bg-muted hover:text-foreground',
            )}
          >
            {p.label} <code className="ml-1 font-mono text-[11px] opacity-70">{p.cron}</code>
          </button>
        ))}
      </div>
      {cron && !preview.isError && preview.data && (
        <div className="rounded-lg border border-border bg-muted/30 p-3" data-testid="cron-preview">
          <p className="mb-2 text-xs font-medium text-muted-foreground">Next five runs</p>
          <ol className="grid gap-1 text-sm">
            {preview.data.next.map((t) => (
              <li key={t} className="flex flex-wrap justify-between gap-x-3">
                <span>{fmt.format(new Date(t))}</span>
                <span className="text-xs text-muted-foreground">{formatRelative(t)}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

function HttpForm({
  projectId,
  value,
  onChange,
  errors,
  savedFunctionUrl,
}: {
  projectId: string;
  value: TriggerDraft;
  onChange: (patch: Partial<TriggerDraft>) => void;
  errors: FieldErrors;
  savedFunctionUrl: string | null;
}) {
  const slug = value.slug.trim();
  const url =
    savedFunctionUrl ??
    `${window.location.origin}/api/projects/${projectId}/functions/${slug || '{slug}'}`;
  const toggle = (p: (typeof FUNCTION_PRINCIPALS)[number], on: boolean) =>
    onChange({
      principals: on
        ? FUNCTION_PRINCIPALS.filter((x) => x === p || value.principals.includes(x))
        : value.principals.filter((x) => x !== p),
    });

  return (
    <div className="grid gap-4">
      <Field
        id="trigger-slug"
        label="Function slug"
        hint="Lower-case letters, digits and dashes; unique in the project."
        error={errors.at('trigger_config.slug')}
        className="sm:max-w-sm"
      >
        <Input
          id="trigger-slug"
          value={value.slug}
          onChange={(e) => onChange({ slug: e.target.value.toLowerCase() })}
          placeholder="send-welcome"
          className="font-mono"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={errors.at('trigger_config.slug') ? true : undefined}
        />
      </Field>
      <div className="grid gap-1.5">
        <span className="text-sm font-medium">
          URL{' '}
          {!savedFunctionUrl && (
            <span className="font-normal text-muted-foreground">(live once saved)</span>
          )}
        </span>
        <div className="flex min-w-0 items-center gap-2">
          <code
            className="block min-w-0 flex-1 truncate rounded-md border border-border bg-muted/40 px-2.5 py-2 font-mono text-xs"
            title={url}
            data-testid="function-url"
          >
            POST {url}
          </code>
          {savedFunctionUrl && <CopyButton value={savedFunctionUrl} label="Copy URL" />}
        </div>
      </div>
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Who may call it</legend>
        <div className="grid gap-1.5 sm:grid-cols-2">
          {FUNCTION_PRINCIPALS.map((p) => (
            <label key={p} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                checked={value.principals.includes(p)}
                onChange={(e) => toggle(p, e.target.checked)}
              />
              {PRINCIPAL_LABELS[p]}
            </label>
          ))}
        </div>
        {errors.at('trigger_config.allowed_principals') && (
          <p className="text-xs text-destructive" role="alert">
            {errors.at('trigger_config.allowed_principals')}
          </p>
        )}
        {value.principals.length === 0 && (
          <p className="text-xs text-warning">Nobody can call a function with no principals.</p>
        )}
      </fieldset>
      <SwitchRow
        id="trigger-async"
        label="Answer at once (async)"
        hint="Off: the call waits and answers the last step's output. On: it answers 202 {run_id, status} and the run continues."
        checked={value.async}
        onCheckedChange={(async) => onChange({ async })}
      />
      {errors.at('trigger_config.async') && (
        <p className="text-xs text-destructive" role="alert">
          {errors.at('trigger_config.async')}
        </p>
      )}
    </div>
  );
}
