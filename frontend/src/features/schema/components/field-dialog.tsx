import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Lock, Plus, X } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { FieldTypeIcon } from '@/components/ui/field-type-icon';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';
import { slugify } from '@/lib/slugify';
import {
  collectionsQueryOptions,
  CREATABLE_FIELD_TYPES,
  fieldsQueryOptions,
  type Collection,
  type FieldDef,
  type FieldOptions,
  type FieldType,
} from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import {
  useCreateField,
  useCreateRelationField,
  useUpdateField,
  type FieldInput,
} from '../api/schema-mutations';
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

/** Every type Add field offers: the column types, then Relation (made through the relations API). */
const PICKABLE_TYPES: FieldType[] = [...CREATABLE_FIELD_TYPES, 'relation'];

type RelationKind = 'many_to_one' | 'many_to_many';
type OnDelete = 'RESTRICT' | 'CASCADE' | 'SET NULL';

const ON_DELETE_LABELS: Record<OnDelete, string> = {
  RESTRICT: 'Refuse to delete it while records point at it',
  CASCADE: 'Delete the records that point at it',
  'SET NULL': 'Clear the link in those records',
};

/** "Posts" → "post", "Categories" → "category": enough for a sentence that reads naturally. */
function singular(displayName: string): string {
  const w = displayName.trim().toLowerCase();
  if (/ies$/.test(w)) return w.replace(/ies$/, 'y');
  if (/(ss|us)$/.test(w)) return w;
  if (/(sh|ch|x|ss)es$/.test(w)) return w.replace(/es$/, '');
  return w.replace(/s$/, '');
}

/** "a post", "an author". */
function a(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function plural(displayName: string): string {
  const one = singular(displayName);
  if (/[^aeiou]y$/.test(one)) return one.replace(/y$/, 'ies');
  if (/(s|sh|ch|x)$/.test(one)) return `${one}es`;
  return `${one}s`;
}

/** The two kinds in plain words, for this pair of collections. */
export function relationKindSentence(kind: RelationKind, source: string, target: string): string {
  return kind === 'many_to_one'
    ? `Each ${singular(source)} has one ${singular(target)}`
    : `${a(singular(source)).replace(/^a/, 'A')} has many ${plural(target)}`;
}

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
  const [nameEdited, setNameEdited] = useState(editing);
  const [localError, setLocalError] = useState<string | null>(null);
  const [targetId, setTargetId] = useState('');
  const [relationKind, setRelationKind] = useState<RelationKind>('many_to_one');
  const [relationDisplay, setRelationDisplay] = useState('');
  const [onDelete, setOnDelete] = useState<OnDelete>('RESTRICT');
  const create = useCreateField(projectId, collection);
  const update = useUpdateField(projectId, collection);
  const createRelation = useCreateRelationField(projectId);
  const collections = useQuery(collectionsQueryOptions(projectId)).data ?? [];
  const source = collections.find((c) => c.name === collection);
  const mutation = editing ? update : type === 'relation' ? createRelation : create;
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
    if (type === 'relation' && !editing) {
      if (!source || !targetId) {
        setLocalError('Choose the collection this field links to.');
        return;
      }
      const manyToOne = relationKind === 'many_to_one';
      if (manyToOne && required && onDelete === 'SET NULL') {
        setLocalError('A required link cannot be cleared: choose another on-delete rule.');
        return;
      }
      createRelation.mutate(
        {
          collectionId: source.id,
          name,
          display_name: displayName.trim() || undefined,
          target_collection_id: targetId,
          relation_type: relationKind,
          on_delete: manyToOne ? onDelete : 'CASCADE',
          display_field: relationDisplay || null,
          is_required: manyToOne && required,
        },
        { onSuccess: onDone },
      );
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
              setNameEdited(true);
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
            onChange={(e) => {
              setDisplayName(e.target.value);
              // The name follows the display name until it is typed by hand.
              if (!nameEdited) {
                setName(slugify(e.target.value));
                setTouched(true);
              }
            }}
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
          <TypePicker
            value={type}
            onChange={(t) => {
              setType(t);
              setDefaultRaw('');
            }}
          />
          <p className="mt-2 text-xs text-muted-foreground">{FIELD_TYPE_HINTS[type]}.</p>
        </fieldset>
      )}

      {!editing && type === 'relation' && (
        <RelationSettings
          projectId={projectId}
          source={source}
          collections={collections}
          targetId={targetId}
          setTargetId={(v) => {
            setTargetId(v);
            setRelationDisplay('');
          }}
          kind={relationKind}
          setKind={setRelationKind}
          displayField={relationDisplay}
          setDisplayField={setRelationDisplay}
          onDelete={onDelete}
          setOnDelete={setOnDelete}
          required={required}
          setRequired={setRequired}
        />
      )}

      {!locked && type !== 'relation' && (
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

      <DialogFooter>
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={mutation.isPending} disabled={!!nameProblem}>
          {editing ? 'Save field' : 'Add field'}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** One tab stop; arrow keys move the choice (WAI-ARIA radio group with a roving tabindex). */
function TypePicker({ value, onChange }: { value: FieldType; onChange: (t: FieldType) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const last = PICKABLE_TYPES.length - 1;
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? index === last
          ? 0
          : index + 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? index === 0
            ? last
            : index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    onChange(PICKABLE_TYPES[next] as FieldType);
    refs.current[next]?.focus();
  }
  return (
    <div
      className="grid grid-cols-2 gap-2 sm:grid-cols-4"
      role="radiogroup"
      aria-label="Field type"
    >
      {PICKABLE_TYPES.map((t, i) => (
        <button
          key={t}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="radio"
          aria-checked={value === t}
          tabIndex={value === t ? 0 : -1}
          title={FIELD_TYPE_HINTS[t]}
          onClick={() => onChange(t)}
          onKeyDown={(e) => onKeyDown(e, i)}
          className={cn(
            'flex cursor-pointer items-center gap-2 rounded-lg border px-2.5 py-2 text-left text-sm transition-colors',
            'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring',
            value === t
              ? 'border-primary bg-accent font-medium text-accent-foreground'
              : 'border-border hover:bg-muted',
          )}
        >
          <FieldTypeIcon type={t} />
          {FIELD_TYPE_LABELS[t]}
        </button>
      ))}
    </div>
  );
}

function RelationSettings(props: {
  projectId: string;
  source: Collection | undefined;
  collections: Collection[];
  targetId: string;
  setTargetId: (v: string) => void;
  kind: RelationKind;
  setKind: (v: RelationKind) => void;
  displayField: string;
  setDisplayField: (v: string) => void;
  onDelete: OnDelete;
  setOnDelete: (v: OnDelete) => void;
  required: boolean;
  setRequired: (v: boolean) => void;
}) {
  const target = props.collections.find((c) => c.id === props.targetId);
  const targetFields = useQuery({
    ...fieldsQueryOptions(props.projectId, target?.name ?? ''),
    enabled: target !== undefined,
  });
  const displayChoices = (targetFields.data ?? []).filter(
    (f) => !f.is_deleted && !f.is_hidden && f.field_type !== 'relation' && f.field_type !== 'json',
  );
  const sourceName = props.source?.display_name ?? 'record';
  const targetName = target?.display_name ?? 'record';
  const manyToOne = props.kind === 'many_to_one';
  return (
    <div className="grid grid-cols-1 gap-4 rounded-lg border border-border p-4">
      <Field id="field-relation-target" label="Links to">
        <Select
          id="field-relation-target"
          value={props.targetId}
          onChange={(e) => props.setTargetId(e.target.value)}
        >
          <option value="" disabled>
            Choose a collection…
          </option>
          {props.collections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.display_name}
              {c.id === props.source?.id ? ' (this collection)' : ''}
            </option>
          ))}
        </Select>
      </Field>
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Kind</legend>
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
          {(['many_to_one', 'many_to_many'] as const).map((k) => (
            <label
              key={k}
              className={cn(
                'flex cursor-pointer items-start gap-2 rounded-lg border px-3 py-2 text-sm',
                props.kind === k ? 'border-primary bg-accent' : 'border-border hover:bg-muted',
              )}
            >
              <input
                type="radio"
                name="field-relation-kind"
                value={k}
                checked={props.kind === k}
                onChange={() => props.setKind(k)}
                className="mt-0.5 accent-primary"
              />
              <span>
                <span className="block font-medium">
                  {relationKindSentence(k, sourceName, targetName)}
                </span>
                <span className="block text-xs text-muted-foreground">
                  {k === 'many_to_one'
                    ? `Stored in one link column; ${a(singular(targetName))} can have many ${plural(sourceName)}.`
                    : `Stored in a junction table; ${a(singular(targetName))} can belong to many ${plural(sourceName)}.`}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          id="field-relation-display"
          label="Display field"
          hint={`What ${a(singular(targetName))} is shown by in forms and the grid.`}
        >
          <Select
            id="field-relation-display"
            value={props.displayField}
            onChange={(e) => props.setDisplayField(e.target.value)}
            disabled={!target}
          >
            <option value="">
              {target?.display_field ? `Default (${target.display_field})` : 'Its id'}
            </option>
            {displayChoices.map((f) => (
              <option key={f.id} value={f.name}>
                {f.display_name || f.name}
              </option>
            ))}
          </Select>
        </Field>
        {manyToOne && (
          <Field id="field-relation-on-delete" label={`When ${a(singular(targetName))} is deleted`}>
            <Select
              id="field-relation-on-delete"
              value={props.onDelete}
              onChange={(e) => props.setOnDelete(e.target.value as OnDelete)}
            >
              {(Object.keys(ON_DELETE_LABELS) as OnDelete[]).map((o) => (
                <option key={o} value={o}>
                  {ON_DELETE_LABELS[o]}
                </option>
              ))}
            </Select>
          </Field>
        )}
      </div>
      {manyToOne && (
        <SwitchRow
          id="field-required"
          label="Required"
          hint={`Every ${singular(sourceName)} must have ${a(singular(targetName))}.`}
          checked={props.required}
          onCheckedChange={props.setRequired}
        />
      )}
    </div>
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
