import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { Lock, Plus, X } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FieldTypeIcon } from '@/components/ui/field-type-icon';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';
import {
  CREATABLE_FIELD_TYPES,
  type FieldDef,
  type FieldOptions,
  type FieldType,
} from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { useCreateField, useUpdateField, type FieldInput } from '../api/schema-mutations';
import { identifierProblem } from './collection-dialogs';

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  string: 'String',
  text: 'Text',
  int: 'Integer',
  float: 'Float',
  decimal: 'Decimal',
  bool: 'Boolean',
  date: 'Date',
  datetime: 'Date & time',
  uuid: 'UUID',
  json: 'JSON',
  enum: 'Enum',
  file: 'File',
  relation: 'Relation',
};

const FIELD_TYPE_HINTS: Record<FieldType, string> = {
  string: 'Short text, up to a max length',
  text: 'Long text, full-text searchable',
  int: 'Whole number (bigint)',
  float: 'Floating point number',
  decimal: 'Exact number with precision and scale',
  bool: 'True or false',
  date: 'Calendar date',
  datetime: 'Date and time with time zone',
  uuid: 'Universally unique identifier',
  json: 'Any JSON value',
  enum: 'One value of a fixed list',
  file: 'A stored file id',
  relation: 'Link to another collection',
};

function normaliseType(type: string): FieldType {
  return (type === 'boolean' ? 'bool' : type) as FieldType;
}

/** The server returns defaults as text; this makes the text the matching input expects. */
function defaultToInput(type: FieldType, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (type === 'json') return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  if (type === 'datetime') {
    const d = new Date(String(value));
    if (Number.isNaN(d.getTime())) return '';
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 16);
  }
  if (type === 'date') return String(value).slice(0, 10);
  return String(value);
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function inputToDefault(type: FieldType, raw: string): Parsed {
  if (raw === '') return { ok: true, value: null };
  switch (type) {
    case 'int': {
      const n = Number(raw);
      return Number.isInteger(n)
        ? { ok: true, value: n }
        : { ok: false, message: 'Not a whole number.' };
    }
    case 'float': {
      const n = Number(raw);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'Not a number.' };
    }
    case 'decimal':
      return /^-?\d+(\.\d+)?$/.test(raw)
        ? { ok: true, value: raw }
        : { ok: false, message: 'Not a decimal number.' };
    case 'bool':
      return { ok: true, value: raw === 'true' };
    case 'datetime': {
      const d = new Date(raw);
      return Number.isNaN(d.getTime())
        ? { ok: false, message: 'Not a date and time.' }
        : { ok: true, value: d.toISOString() };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(raw) as unknown };
      } catch {
        return { ok: false, message: 'Not valid JSON.' };
      }
    default:
      return { ok: true, value: raw };
  }
}

interface FieldDialogProps {
  projectId: string;
  collection: string;
  /** The field to edit; absent to add a new one. */
  field?: FieldDef | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

export function FieldDialog({
  projectId,
  collection,
  field,
  open,
  onOpenChange,
}: FieldDialogProps) {
  const editing = !!field;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={editing ? 'Edit field' : 'Add field'}
      description={
        editing ? (
          <>
            <code className="font-mono">{field.name}</code> in{' '}
            <code className="font-mono">{collection}</code>
          </>
        ) : (
          <>
            Adds a column to <code className="font-mono">{collection}</code> in one transaction.
          </>
        )
      }
      className="max-w-2xl"
    >
      <FieldForm
        key={field?.id ?? 'new'}
        projectId={projectId}
        collection={collection}
        field={field ?? null}
        onDone={() => onOpenChange(false)}
      />
    </Dialog>
  );
}

function FieldForm({
  projectId,
  collection,
  field,
  onDone,
}: {
  projectId: string;
  collection: string;
  field: FieldDef | null;
  onDone: () => void;
}) {
  const editing = field !== null;
  const isRelation = field?.field_type === 'relation';
  // System fields and relations (managed in Relations) only take a new display name here.
  const locked = (field?.is_system ?? false) || isRelation;
  const [name, setName] = useState(field?.name ?? '');
  const [displayName, setDisplayName] = useState(field?.display_name ?? '');
  const [type, setType] = useState<FieldType>(normaliseType(field?.field_type ?? 'string'));
  const [description, setDescription] = useState(field?.description ?? '');
  const [required, setRequired] = useState(field?.is_required ?? false);
  const [unique, setUnique] = useState(field?.is_unique ?? false);
  const [indexed, setIndexed] = useState(field?.is_indexed ?? false);
  const [searchable, setSearchable] = useState(false);
  const [hidden, setHidden] = useState(field?.is_hidden ?? false);
  const [defaultRaw, setDefaultRaw] = useState(defaultToInput(type, field?.default_value));
  const [enumValues, setEnumValues] = useState<string[]>(field?.options?.values ?? []);
  const [precision, setPrecision] = useState(String(field?.options?.precision ?? '12'));
  const [scale, setScale] = useState(String(field?.options?.scale ?? '2'));
  const [maxLength, setMaxLength] = useState(String(field?.options?.max_length ?? ''));
  const [bucket, setBucket] = useState(field?.options?.bucket ?? '');
  const [touched, setTouched] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const create = useCreateField(projectId, collection);
  const update = useUpdateField(projectId, collection);
  const mutation = editing ? update : create;
  const nameProblem = editing ? null : identifierProblem(name);

  function options(): FieldOptions | undefined {
    switch (type) {
      case 'enum':
        return { values: enumValues };
      case 'decimal':
        return { precision: Number(precision), scale: Number(scale) };
      case 'string':
        return maxLength ? { max_length: Number(maxLength) } : {};
      case 'file':
        return bucket ? { bucket } : {};
      default:
        return undefined;
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    setLocalError(null);
    if (nameProblem) return;
    if (type === 'enum' && enumValues.length === 0) {
      setLocalError('Add at least one enum value.');
      return;
    }
    if (locked && field) {
      update.mutate(
        { name: field.name, body: { display_name: displayName.trim() || field.name } },
        { onSuccess: onDone },
      );
      return;
    }
    const parsed = inputToDefault(type, defaultRaw);
    if (!parsed.ok) {
      setLocalError(`Default value: ${parsed.message}`);
      return;
    }
    const opts = options();
    const body: FieldInput = {
      display_name: displayName.trim() || undefined,
      description: description.trim() || (editing ? null : undefined),
      is_required: required,
      is_unique: unique,
      is_indexed: indexed,
      is_hidden: hidden,
      // The server does not report this flag back, so only an explicit "on" is sent.
      ...((type === 'string' || type === 'text') && searchable ? { is_searchable: true } : {}),
      ...(opts ? { options: opts } : {}),
    };
    if (editing) {
      body.default_value = parsed.value;
      update.mutate({ name: field.name, body }, { onSuccess: onDone });
    } else {
      if (parsed.value !== null) body.default_value = parsed.value;
      create.mutate({ ...body, name, field_type: type }, { onSuccess: onDone });
    }
  }

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-5" noValidate>
      <ProblemAlert error={mutation.error} />
      {localError && <Alert tone="danger" title={localError} />}
      {locked && (
        <Alert tone="info" title={isRelation ? 'Relation field' : 'System field'}>
          <span className="inline-flex items-center gap-1">
            <Lock className="size-3.5" aria-hidden="true" />
            {isRelation
              ? 'Its target and on-delete rule are managed in Relations. Only its display name can be changed here.'
              : 'Managed by Backendify. Only its display name can be changed.'}
          </span>
        </Alert>
      )}

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          id="field-name"
          label="Name"
          hint={editing ? 'Renamed in Schema Evolution.' : 'Lowercase letters, digits and _.'}
          error={touched && name ? (nameProblem ?? undefined) : undefined}
        >
          <Input
            id="field-name"
            autoFocus={!editing}
            value={name}
            disabled={editing}
            onChange={(e) => {
              setName(e.target.value);
              setTouched(true);
            }}
            placeholder="title"
            className="font-mono"
            aria-invalid={touched && !!name && !!nameProblem}
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
        <Field id="field-display-name" label="Display name">
          <Input
            id="field-display-name"
            autoFocus={editing}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            placeholder="Title"
          />
        </Field>
      </div>

      {editing ? (
        <div className="flex items-center gap-2 text-sm">
          <FieldTypeIcon type={type} />
          <span className="font-medium">{FIELD_TYPE_LABELS[type]}</span>
          <span className="text-muted-foreground">· type changes go through Schema Evolution</span>
        </div>
      ) : (
        <fieldset>
          <legend className="mb-2 text-sm font-medium">Type</legend>
          <div
            className="grid grid-cols-2 gap-2 sm:grid-cols-4"
            role="radiogroup"
            aria-label="Field type"
          >
            {CREATABLE_FIELD_TYPES.map((t) => (
              <button
                key={t}
                type="button"
                role="radio"
                aria-checked={type === t}
                title={FIELD_TYPE_HINTS[t]}
                onClick={() => {
                  setType(t);
                  setDefaultRaw('');
                }}
                className={cn(
                  'flex cursor-pointer items-center gap-2 rounded-lg border px-2.5 py-2 text-left text-sm transition-colors',
                  'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring',
                  type === t
                    ? 'border-primary bg-accent font-medium text-accent-foreground'
                    : 'border-border hover:bg-muted',
                )}
              >
                <FieldTypeIcon type={t} />
                {FIELD_TYPE_LABELS[t]}
              </button>
            ))}
          </div>
          <p className="mt-2 text-xs text-muted-foreground">
            {FIELD_TYPE_HINTS[type]}. Links to other collections are made in Relations.
          </p>
        </fieldset>
      )}

      {!locked && (
        <>
          <TypeSettings
            type={type}
            enumValues={enumValues}
            setEnumValues={setEnumValues}
            precision={precision}
            setPrecision={setPrecision}
            scale={scale}
            setScale={setScale}
            maxLength={maxLength}
            setMaxLength={setMaxLength}
            bucket={bucket}
            setBucket={setBucket}
          />

          <DefaultValueInput
            type={type}
            value={defaultRaw}
            onChange={setDefaultRaw}
            enumValues={enumValues}
          />

          <div className="divide-y divide-border rounded-lg border border-border px-4 py-1">
            <SwitchRow
              id="field-required"
              label="Required"
              hint="Every record must have a value."
              checked={required}
              onCheckedChange={setRequired}
            />
            <SwitchRow
              id="field-unique"
              label="Unique"
              hint="No two records may share a value."
              checked={unique}
              onCheckedChange={setUnique}
            />
            <SwitchRow
              id="field-indexed"
              label="Indexed"
              hint="Faster filters and sorts on this field."
              checked={indexed}
              onCheckedChange={setIndexed}
            />
            {(type === 'string' || type === 'text') && (
              <SwitchRow
                id="field-searchable"
                label="Searchable"
                hint="Trigram index so substring search stays fast."
                checked={searchable}
                onCheckedChange={setSearchable}
              />
            )}
            <SwitchRow
              id="field-hidden"
              label="Hidden"
              hint="Never returned, listed or filtered by the data API."
              checked={hidden}
              onCheckedChange={setHidden}
            />
          </div>

          <Field id="field-description" label="Description">
            <Textarea
              id="field-description"
              rows={2}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              placeholder="Shown to admins in the console"
            />
          </Field>
        </>
      )}

      <div className="flex justify-end gap-2">
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={mutation.isPending} disabled={!!nameProblem}>
          {editing ? 'Save field' : 'Add field'}
        </Button>
      </div>
    </form>
  );
}

interface TypeSettingsProps {
  type: FieldType;
  enumValues: string[];
  setEnumValues: (v: string[]) => void;
  precision: string;
  setPrecision: (v: string) => void;
  scale: string;
  setScale: (v: string) => void;
  maxLength: string;
  setMaxLength: (v: string) => void;
  bucket: string;
  setBucket: (v: string) => void;
}

function TypeSettings(props: TypeSettingsProps) {
  switch (props.type) {
    case 'enum':
      return <EnumValuesEditor values={props.enumValues} onChange={props.setEnumValues} />;
    case 'decimal':
      return (
        <div className="grid grid-cols-2 gap-4">
          <Field id="field-precision" label="Precision" hint="Total digits (1–1000).">
            <Input
              id="field-precision"
              type="number"
              min={1}
              max={1000}
              value={props.precision}
              onChange={(e) => props.setPrecision(e.target.value)}
            />
          </Field>
          <Field id="field-scale" label="Scale" hint="Digits after the decimal point.">
            <Input
              id="field-scale"
              type="number"
              min={0}
              value={props.scale}
              onChange={(e) => props.setScale(e.target.value)}
            />
          </Field>
        </div>
      );
    case 'string':
      return (
        <Field id="field-max-length" label="Max length" hint="Leave empty for the default (255).">
          <Input
            id="field-max-length"
            type="number"
            min={1}
            value={props.maxLength}
            onChange={(e) => props.setMaxLength(e.target.value)}
            placeholder="255"
          />
        </Field>
      );
    case 'file':
      return (
        <Field
          id="field-bucket"
          label="Bucket"
          hint="Files for this field are stored in this bucket."
        >
          <Input
            id="field-bucket"
            value={props.bucket}
            onChange={(e) => props.setBucket(e.target.value)}
            placeholder="uploads"
          />
        </Field>
      );
    default:
      return null;
  }
}

function EnumValuesEditor({
  values,
  onChange,
}: {
  values: string[];
  onChange: (v: string[]) => void;
}) {
  const [draft, setDraft] = useState('');

  function add() {
    const v = draft.trim();
    if (!v || values.includes(v)) return;
    onChange([...values, v]);
    setDraft('');
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add();
    }
  }

  return (
    <div className="grid grid-cols-1 gap-1.5">
      <label htmlFor="field-enum-value" className="text-sm font-medium">
        Enum values
      </label>
      <div
        className="flex min-h-9 flex-wrap gap-1.5 rounded-md border border-input bg-muted/30 p-1.5"
        aria-label="Enum value list"
        role="list"
      >
        {values.length === 0 && (
          <span className="px-1.5 py-0.5 text-xs text-muted-foreground">No values yet</span>
        )}
        {values.map((v) => (
          <span
            key={v}
            role="listitem"
            className="inline-flex items-center gap-1 rounded-md bg-card px-2 py-0.5 text-xs font-medium shadow-xs ring-1 ring-border"
          >
            {v}
            <button
              type="button"
              aria-label={`Remove ${v}`}
              className="cursor-pointer rounded text-muted-foreground hover:text-foreground"
              onClick={() => onChange(values.filter((x) => x !== v))}
            >
              <X className="size-3" />
            </button>
          </span>
        ))}
      </div>
      <div className="flex gap-2">
        <Input
          id="field-enum-value"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Type a value and press Enter"
        />
        <Button variant="outline" onClick={add} disabled={!draft.trim()}>
          <Plus aria-hidden="true" />
          Add value
        </Button>
      </div>
    </div>
  );
}

function DefaultValueInput({
  type,
  value,
  onChange,
  enumValues,
}: {
  type: FieldType;
  value: string;
  onChange: (v: string) => void;
  enumValues: string[];
}) {
  const id = 'field-default';
  const label = 'Default value';
  const hint = 'Used when a record is created without this field. Leave empty for none.';
  if (type === 'bool') {
    return (
      <Field id={id} label={label} hint={hint}>
        <Select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">No default</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </Select>
      </Field>
    );
  }
  if (type === 'enum') {
    return (
      <Field id={id} label={label} hint={hint}>
        <Select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">No default</option>
          {enumValues.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </Select>
      </Field>
    );
  }
  if (type === 'json' || type === 'text') {
    return (
      <Field id={id} label={label} hint={hint}>
        <Textarea
          id={id}
          rows={3}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={type === 'json' ? 'font-mono text-xs' : undefined}
          placeholder={type === 'json' ? '{"key": "value"}' : undefined}
        />
      </Field>
    );
  }
  const inputType =
    type === 'int' || type === 'float'
      ? 'number'
      : type === 'date'
        ? 'date'
        : type === 'datetime'
          ? 'datetime-local'
          : 'text';
  return (
    <Field id={id} label={label} hint={hint}>
      <Input
        id={id}
        type={inputType}
        step={type === 'int' ? 1 : type === 'float' ? 'any' : undefined}
        inputMode={type === 'decimal' ? 'decimal' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}
