import { useId, useState, type FormEvent } from 'react';
import { History, PenLine, Trash2 } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { FieldTypeIcon } from '@/components/ui/field-type-icon';
import { Input, Select } from '@/components/ui/input';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Textarea } from '@/components/ui/textarea';
import { cn, formatDateTime } from '@/lib/utils';
import { useCreateRecord, useUpdateRecord } from '../api/records';
import { parseInput, toInput } from '../columns';
import type { Column, RecordRow } from '../types';
import { RecordHistory } from './record-history';
import { RecordPicker } from './record-picker';
import { Switch } from '@/components/ui/switch';
import { FileFieldInput } from '@/features/files/components/file-field-input';

interface RecordDialogProps {
  projectId: string;
  collection: string;
  columns: Column[];
  /** The record to edit; null to create one. */
  record: RecordRow | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDelete?: (row: RecordRow) => void;
  /** The record changed inside the dialog (a revert from its history). */
  onRecordChange?: (row: RecordRow) => void;
}

type RecordTab = 'edit' | 'history';

export function RecordDialog({
  projectId,
  collection,
  columns,
  record,
  open,
  onOpenChange,
  onDelete,
  onRecordChange,
}: RecordDialogProps) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={record ? `Edit record ${String(record.id)}` : 'New record'}
      description={
        record ? (
          <>
            Created {formatDateTime(String(record.created_at ?? ''))} · updated{' '}
            {formatDateTime(String(record.updated_at ?? ''))}
          </>
        ) : (
          <>
            Add a record to <code className="font-mono">{collection}</code>.
          </>
        )
      }
      className="sm:max-w-2xl"
    >
      {record ? (
        <RecordTabs
          projectId={projectId}
          collection={collection}
          columns={columns}
          record={record}
          onDone={() => onOpenChange(false)}
          onDelete={onDelete}
          onRecordChange={onRecordChange}
        />
      ) : (
        <RecordForm
          key="new"
          projectId={projectId}
          collection={collection}
          columns={columns.filter((c) => !c.readOnly)}
          record={null}
          onDone={() => onOpenChange(false)}
        />
      )}
    </Dialog>
  );
}

const TABS: { id: RecordTab; label: string; icon: typeof History }[] = [
  { id: 'edit', label: 'Edit', icon: PenLine },
  { id: 'history', label: 'History', icon: History },
];

/** An existing record: its form, and its history of versions with revert. */
function RecordTabs({
  projectId,
  collection,
  columns,
  record,
  onDone,
  onDelete,
  onRecordChange,
}: {
  projectId: string;
  collection: string;
  columns: Column[];
  record: RecordRow;
  onDone: () => void;
  onDelete?: (row: RecordRow) => void;
  onRecordChange?: (row: RecordRow) => void;
}) {
  const [tab, setTab] = useState<RecordTab>('edit');
  const base = useId();
  return (
    <div className="grid gap-4">
      <div role="tablist" aria-label="Record" className="flex gap-1 border-b border-border">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`${base}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${base}-panel-${t.id}`}
            onClick={() => setTab(t.id)}
            className={cn(
              '-mb-px inline-flex cursor-pointer items-center gap-2 border-b-2 px-3 pb-2 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-ring [&_svg]:size-4',
              tab === t.id
                ? 'border-primary text-foreground'
                : 'border-transparent text-muted-foreground hover:text-foreground',
            )}
          >
            <t.icon aria-hidden="true" />
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel-${tab}`} aria-labelledby={`${base}-tab-${tab}`}>
        {tab === 'edit' ? (
          <RecordForm
            // A revert changes the record under the form: start again from its new values.
            key={`${String(record.id)}-${String(record.updated_at ?? '')}`}
            projectId={projectId}
            collection={collection}
            columns={columns.filter((c) => !c.readOnly)}
            record={record}
            onDone={onDone}
            onDelete={onDelete}
          />
        ) : (
          <RecordHistory
            projectId={projectId}
            collection={collection}
            record={record}
            onReverted={(updated) => onRecordChange?.(updated)}
          />
        )}
      </div>
    </div>
  );
}

/** The server reports a json default as its text; other defaults read like stored values. */
function defaultInput(c: Column): string {
  const d = c.field?.default_value ?? null;
  return c.type === 'json' && typeof d === 'string' ? d : toInput(c.type, d);
}

function RecordForm({
  projectId,
  collection,
  columns,
  record,
  onDone,
  onDelete,
}: {
  projectId: string;
  collection: string;
  columns: Column[];
  record: RecordRow | null;
  onDone: () => void;
  onDelete?: (row: RecordRow) => void;
}) {
  // A new record starts from each field's default, so what is shown is what will be stored.
  const initial = Object.fromEntries(
    columns.map((c) => [c.key, record ? toInput(c.type, record[c.key]) : defaultInput(c)]),
  );
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const create = useCreateRecord(projectId, collection);
  const update = useUpdateRecord(projectId, collection);
  const mutation = record ? update : create;

  function submit(e: FormEvent) {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    const errs: Record<string, string> = {};
    for (const c of columns) {
      const raw = values[c.key] ?? '';
      if (record && raw === initial[c.key]) continue;
      if (!record && (raw === '' || raw === initial[c.key])) continue;
      const parsed = parseInput(c.type, raw);
      if (parsed.ok) body[c.key] = parsed.value;
      else errs[c.key] = parsed.message;
    }
    setProblems(errs);
    if (Object.keys(errs).length > 0) return;
    if (record) {
      if (Object.keys(body).length === 0) {
        onDone();
        return;
      }
      update.mutate({ id: record.id, body }, { onSuccess: onDone });
    } else {
      create.mutate(body, { onSuccess: onDone });
    }
  }

  const set = (key: string, v: string) => setValues((prev) => ({ ...prev, [key]: v }));

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-4" noValidate>
      <ProblemAlert error={mutation.error} />
      {columns.length === 0 && (
        <Alert tone="info" title="This collection has no editable fields">
          Add fields in the Schema module first.
        </Alert>
      )}
      {columns.map((c) => {
        const id = `record-${c.key}`;
        const problem = problems[c.key];
        return (
          <div
            key={c.key}
            className="grid grid-cols-1 gap-1.5 sm:grid-cols-[11rem_minmax(0,1fr)] sm:gap-4"
          >
            <div className="flex items-start gap-2 pt-1.5">
              <FieldTypeIcon type={c.type} className="size-5 shrink-0" />
              <div className="min-w-0">
                <label htmlFor={id} className="block truncate text-sm font-medium">
                  {c.field?.display_name || c.relation?.name || c.label}
                  {c.field?.is_required && (
                    <span className="text-destructive" aria-hidden="true">
                      {' '}
                      *
                    </span>
                  )}
                </label>
                <code className="block truncate font-mono text-[11px] text-muted-foreground">
                  {c.relation?.name ?? c.label}
                </code>
              </div>
            </div>
            <div className="grid min-w-0 grid-cols-1 gap-1">
              <ValueInput
                id={id}
                column={c}
                value={values[c.key] ?? ''}
                onChange={(v) => set(c.key, v)}
                projectId={projectId}
                invalid={!!problem}
              />
              {problem ? (
                <p className="text-xs text-destructive" role="alert">
                  {problem}
                </p>
              ) : c.field?.description ? (
                <p className="text-xs text-muted-foreground">{c.field.description}</p>
              ) : null}
            </div>
          </div>
        );
      })}
      <DialogFooter className="items-center justify-between">
        <div>
          {record && onDelete && (
            <Button variant="ghost" className="text-destructive" onClick={() => onDelete(record)}>
              <Trash2 aria-hidden="true" />
              Delete
            </Button>
          )}
        </div>
        <div className="flex gap-2">
          <Button variant="outline" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {record ? 'Save record' : 'Create record'}
          </Button>
        </div>
      </DialogFooter>
    </form>
  );
}

function ValueInput({
  id,
  column,
  value,
  onChange,
  projectId,
  invalid,
}: {
  id: string;
  column: Column;
  value: string;
  onChange: (v: string) => void;
  projectId: string;
  invalid: boolean;
}) {
  const common = { id, 'aria-invalid': invalid || undefined };
  switch (column.type) {
    case 'bool':
      return (
        <div className="flex h-9 items-center gap-3">
          <Switch
            id={id}
            checked={value === 'true'}
            onCheckedChange={(on) => onChange(on ? 'true' : 'false')}
          />
          <span className="text-sm text-muted-foreground" aria-hidden="true">
            {value === '' ? 'Not set' : value === 'true' ? 'Yes' : 'No'}
          </span>
          {value !== '' && !column.field?.is_required && (
            <button
              type="button"
              className="cursor-pointer text-xs text-muted-foreground hover:text-foreground"
              onClick={() => onChange('')}
            >
              Clear
            </button>
          )}
        </div>
      );
    case 'enum':
      return (
        <Select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="" disabled={column.field?.is_required}>
            {column.field?.is_required ? 'Choose…' : 'None'}
          </option>
          {(column.field?.options?.values ?? []).map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </Select>
      );
    case 'text':
    case 'json':
      return (
        <Textarea
          {...common}
          rows={column.type === 'json' ? 4 : 3}
          className={column.type === 'json' ? 'font-mono text-xs' : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'file':
      return (
        <FileFieldInput
          id={id}
          projectId={projectId}
          bucket={column.field?.options?.bucket}
          value={value}
          onChange={onChange}
          invalid={invalid}
        />
      );
    case 'relation':
      return (
        <RecordPicker
          id={id}
          projectId={projectId}
          target={column.relation?.target}
          displayField={column.relation?.displayField ?? 'id'}
          value={value}
          onChange={onChange}
          invalid={invalid}
        />
      );
    default: {
      const type =
        column.type === 'int' || column.type === 'float' || column.type === 'decimal'
          ? 'number'
          : column.type === 'date'
            ? 'date'
            : column.type === 'datetime'
              ? 'datetime-local'
              : 'text';
      return (
        <Input
          {...common}
          type={type}
          step={
            column.type === 'int'
              ? 1
              : column.type === 'decimal'
                ? 10 ** -(column.field?.options?.scale ?? 2)
                : column.type === 'float'
                  ? 'any'
                  : undefined
          }
          inputMode={
            column.type === 'decimal' || column.type === 'float'
              ? 'decimal'
              : column.type === 'int'
                ? 'numeric'
                : undefined
          }
          maxLength={column.field?.options?.max_length}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={column.type === 'uuid' ? 'font-mono text-xs' : undefined}
        />
      );
    }
  }
}
