import { useState } from 'react';
import {
  ConditionBuilder,
  type BuilderField,
} from '@/components/condition-builder/condition-builder';
import {
  UnsupportedCondition,
  fromCondition,
  toCondition,
  type FieldTypes,
} from '@/components/condition-builder/condition';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/lib/utils';
import type { ConditionDraft } from '../draft';

interface ConditionEditorProps {
  id: string;
  label: string;
  value: ConditionDraft;
  onChange: (next: ConditionDraft) => void;
  fields: BuilderField[];
  types: FieldTypes;
  /** The type of values of fields missing from `types` (`any` for run-context paths). */
  fallbackType?: string;
  variables?: readonly { name: string; label: string }[];
  freeFields?: boolean;
  emptyText: string;
  error?: string;
}

/** The Policies condition builder, with a JSON mode for conditions it cannot show. */
export function ConditionEditor({
  id,
  label,
  value,
  onChange,
  fields,
  types,
  fallbackType,
  variables,
  freeFields,
  emptyText,
  error,
}: ConditionEditorProps) {
  const [jsonError, setJsonError] = useState<string | null>(null);

  function switchMode(mode: ConditionDraft['mode']) {
    if (mode === value.mode) return;
    if (mode === 'json') {
      const c = toCondition(value.root, types, fallbackType);
      onChange({ ...value, mode, json: c === null ? '' : JSON.stringify(c, null, 2) });
      setJsonError(null);
      return;
    }
    try {
      const root = fromCondition(value.json.trim() ? (JSON.parse(value.json) as unknown) : null);
      onChange({ ...value, mode, root });
      setJsonError(null);
    } catch (e) {
      setJsonError(
        e instanceof UnsupportedCondition
          ? `The visual builder cannot show this condition (${e.message}); keep editing it as JSON.`
          : `Invalid JSON: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  return (
    <div className="grid min-w-0 gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span id={`${id}-label`} className="text-sm font-medium">
          {label}
        </span>
        <div
          role="tablist"
          aria-label={`${label}: editor`}
          className="flex rounded-md bg-muted p-0.5"
        >
          {(['builder', 'json'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={value.mode === m}
              onClick={() => switchMode(m)}
              className={cn(
                'cursor-pointer rounded px-2.5 py-0.5 text-xs font-medium',
                value.mode === m ? 'bg-card shadow-xs' : 'text-muted-foreground',
              )}
            >
              {m === 'builder' ? 'Builder' : 'JSON'}
            </button>
          ))}
        </div>
      </div>
      {value.mode === 'builder' ? (
        <div role="group" aria-labelledby={`${id}-label`} className="min-w-0">
          <ConditionBuilder
            root={value.root}
            fields={fields}
            onChange={(root) => onChange({ ...value, root })}
            variables={variables}
            freeFields={freeFields}
            emptyText={emptyText}
          />
        </div>
      ) : (
        <Textarea
          id={id}
          aria-labelledby={`${id}-label`}
          rows={6}
          className="font-mono text-xs"
          spellCheck={false}
          value={value.json}
          onChange={(e) => onChange({ ...value, json: e.target.value })}
          placeholder='{"status": {"$eq": "paid"}}'
          aria-invalid={error ? true : undefined}
        />
      )}
      {(jsonError ?? error) && (
        <p className="text-xs text-destructive" role="alert" data-testid={`${id}-error`}>
          {jsonError ?? error}
        </p>
      )}
    </div>
  );
}
