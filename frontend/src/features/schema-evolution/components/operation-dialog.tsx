import { useEffect, useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { AlertTriangle, ListPlus, Zap } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { SwitchRow } from '@/components/ui/switch';
import { IDENTIFIER_PATTERN, type Collection, type FieldDef } from '@/lib/schema-meta';
import { useApplyNow, useQueueChange } from '../api/evolution-mutations';
import { previewQueryOptions, safeConversionsQueryOptions } from '../api/evolution-query';
import { OPERATION_LABEL, type EvolutionOperation, type EvolutionParams } from '../types';
import { SqlSteps } from './sql-steps';

export interface OperationTarget {
  operation: EvolutionOperation;
  collection: Collection;
  field?: FieldDef;
}

export function OperationDialog({
  projectId,
  target,
  onClose,
}: {
  projectId: string;
  target: OperationTarget | null;
  onClose: () => void;
}) {
  const subject = target
    ? target.field
      ? `${target.collection.name}.${target.field.name}`
      : target.collection.name
    : '';
  return (
    <Dialog
      open={target !== null}
      onOpenChange={(o) => !o && onClose()}
      title={target ? OPERATION_LABEL[target.operation] : ''}
      description={
        <>
          <code className="font-mono text-xs">{subject}</code> · preview the migration, then apply
          it now or queue it with other pending changes.
        </>
      }
      className="max-w-2xl"
    >
      {target && <OperationForm projectId={projectId} target={target} onClose={onClose} />}
    </Dialog>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return v;
}

function OperationForm({
  projectId,
  target,
  onClose,
}: {
  projectId: string;
  target: OperationTarget;
  onClose: () => void;
}) {
  const id = useId();
  const { operation, collection, field } = target;
  const [newName, setNewName] = useState('');
  const [newDisplayName, setNewDisplayName] = useState('');
  const [newType, setNewType] = useState('');
  const [force, setForce] = useState(false);
  const safe = useQuery({
    ...safeConversionsQueryOptions(projectId),
    enabled: operation === 'change_column_type',
  });
  const targets = (safe.data?.safe_conversions ?? []).filter((s) => s.from === field?.field_type);
  const queue = useQueueChange(projectId);
  const applyNow = useApplyNow(projectId);

  const renaming = operation === 'rename_table' || operation === 'rename_column';
  const nameError =
    renaming && newName && !IDENTIFIER_PATTERN.test(newName)
      ? /^[a-z]/.test(newName)
        ? 'Use only lowercase letters, digits and underscores.'
        : 'Must start with a lowercase letter.'
      : undefined;

  const params: EvolutionParams = {};
  if (field) params.field_id = field.id;
  if (renaming) {
    params.new_name = newName;
    if (newDisplayName.trim()) params.new_display_name = newDisplayName.trim();
  }
  if (operation === 'change_column_type') params.new_type = newType;
  if (operation === 'drop_column') params.force = force;

  const ready =
    (!renaming || (newName !== '' && !nameError)) &&
    (operation !== 'change_column_type' || newType !== '');
  const paramsKey = JSON.stringify(params);
  const debouncedKey = useDebounced(paramsKey, 400);
  const debounced = JSON.parse(debouncedKey) as EvolutionParams;
  const stable = debouncedKey === paramsKey;
  const preview = useQuery({
    ...previewQueryOptions(projectId, collection.id, operation, debounced),
    // Only once typing pauses: a half-typed name must not reach the server (or show its 400).
    enabled: ready && stable,
  });
  // The name's own complaint waits for the pause too, so the first keystrokes stay quiet.
  const shownNameError = stable ? nameError : undefined;
  const previewOk = ready && stable && preview.isSuccess && !preview.isFetching;
  const vars = { collectionId: collection.id, operation, params };
  const busy = queue.isPending || applyNow.isPending;
  const mutationError = queue.error ?? applyNow.error;

  return (
    <div className="space-y-4">
      {mutationError && <ProblemAlert error={mutationError} />}
      {renaming && (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field
            id={`${id}-name`}
            label="New name"
            error={shownNameError}
            hint={`Currently ${field?.name ?? collection.name}; the old name keeps working as an alias for 30 days.`}
          >
            <Input
              id={`${id}-name`}
              value={newName}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              aria-invalid={shownNameError ? true : undefined}
              onChange={(e) => setNewName(e.target.value)}
            />
          </Field>
          <Field id={`${id}-display`} label="New display name" hint="Optional">
            <Input
              id={`${id}-display`}
              value={newDisplayName}
              onChange={(e) => setNewDisplayName(e.target.value)}
            />
          </Field>
        </div>
      )}
      {operation === 'change_column_type' && field && (
        <Field
          id={`${id}-type`}
          label="New type"
          hint={
            targets.find((t) => t.to === newType)?.description ??
            `Only conversions that keep every ${field.field_type} value are offered.`
          }
        >
          <Select id={`${id}-type`} value={newType} onChange={(e) => setNewType(e.target.value)}>
            <option value="" disabled>
              {safe.data
                ? targets.length
                  ? 'Choose a type…'
                  : `No safe conversion from ${field.field_type}`
                : 'Loading…'}
            </option>
            {targets.map((t) => (
              <option key={t.to} value={t.to}>
                {field.field_type} → {t.to}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {operation === 'drop_column' && field && (
        <>
          <Alert tone="danger" title="This permanently deletes the column and its data">
            Indexes, foreign keys, validation rules and aliases of{' '}
            <code className="font-mono">{field.name}</code> go with it.
          </Alert>
          {!field.is_deleted && (
            <SwitchRow
              id={`${id}-force`}
              label="Skip the soft-delete step"
              hint="Live fields are normally soft-deleted first. Required to drop this one now."
              checked={force}
              onCheckedChange={setForce}
            />
          )}
        </>
      )}
      {operation === 'soft_delete_column' && (
        <p className="text-sm text-muted-foreground">
          The field is hidden from the data API and becomes read-only. Its data stays until a hard
          delete, and it can be restored.
        </p>
      )}

      <section aria-label="Migration preview" className="space-y-2">
        <h3 className="text-sm font-medium">Migration preview</h3>
        {!ready ? (
          <p className="rounded-lg border border-dashed border-border px-4 py-6 text-center text-sm text-muted-foreground">
            {renaming ? 'Type a new name to see the SQL.' : 'Choose a new type to see the SQL.'}
          </p>
        ) : preview.isError && stable ? (
          <ProblemAlert error={preview.error} />
        ) : !preview.data ? (
          <Skeleton className="h-20" />
        ) : (
          <div className="space-y-2">
            <SqlSteps steps={preview.data.steps} />
            {preview.data.descriptions.length > 0 && (
              <ul className="list-disc space-y-0.5 pl-5 text-xs text-muted-foreground">
                {preview.data.descriptions.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            )}
            {preview.data.warnings.map((w) => (
              <Alert key={w} tone="warning">
                {w}
              </Alert>
            ))}
          </div>
        )}
      </section>

      <DialogFooter className="items-center">
        {operation === 'drop_column' && (
          <span className="mr-auto flex items-center gap-1.5 text-xs text-destructive">
            <AlertTriangle className="size-3.5" aria-hidden="true" />
            Cannot be undone
          </span>
        )}
        <Button variant="outline" onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="outline"
          disabled={!previewOk || busy}
          loading={queue.isPending}
          onClick={() => queue.mutate(vars, { onSuccess: onClose })}
        >
          <ListPlus aria-hidden="true" />
          Add to pending
        </Button>
        <Button
          variant={operation === 'drop_column' ? 'destructive' : 'primary'}
          disabled={!previewOk || busy}
          loading={applyNow.isPending}
          onClick={() => applyNow.mutate(vars, { onSuccess: onClose })}
        >
          <Zap aria-hidden="true" />
          Apply now
        </Button>
      </DialogFooter>
    </div>
  );
}
