import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { fieldsQueryOptions, IDENTIFIER_PATTERN, type Collection } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { useCreateRelation } from '../api/relation-mutations';
import { relationOptionsQueryOptions } from '../api/relations-query';
import {
  FALLBACK_OPTIONS,
  ON_DELETE_ACTIONS,
  RELATION_KINDS,
  type OnDeleteAction,
  type RelationKind,
} from '../types';

interface RelationDialogProps {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  collections: Collection[];
  defaultSource?: string;
}

export function RelationDialog(props: RelationDialogProps) {
  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title="Create relation"
      description="A relation is a field of the source collection that points at records of the target."
      className="max-w-xl"
    >
      <RelationForm {...props} />
    </Dialog>
  );
}

function nameProblem(name: string): string | undefined {
  if (!name) return undefined;
  if (!/^[a-z]/.test(name)) return 'Must start with a lowercase letter.';
  if (!IDENTIFIER_PATTERN.test(name)) return 'Use only lowercase letters, digits and underscores.';
  return undefined;
}

function RelationForm({
  projectId,
  onOpenChange,
  collections,
  defaultSource,
}: RelationDialogProps) {
  const id = useId();
  const options = useQuery(relationOptionsQueryOptions(projectId)).data ?? FALLBACK_OPTIONS;
  const user = collections.filter((c) => !c.is_system);
  const [source, setSource] = useState(
    (user.find((c) => c.name === defaultSource) ?? user[0])?.id ?? '',
  );
  const [target, setTarget] = useState('');
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [kind, setKind] = useState<RelationKind>('many_to_one');
  const [onDelete, setOnDelete] = useState<OnDeleteAction>('RESTRICT');
  const [displayField, setDisplayField] = useState('');
  const [required, setRequired] = useState(false);
  const create = useCreateRelation(projectId);

  const targetCollection = collections.find((c) => c.id === target);
  const targetFields = useQuery({
    ...fieldsQueryOptions(projectId, targetCollection?.name ?? ''),
    enabled: targetCollection !== undefined,
  });
  const displayChoices = (targetFields.data ?? []).filter(
    (f) => !f.is_deleted && !f.is_hidden && f.field_type !== 'relation' && f.field_type !== 'json',
  );

  const problem = nameProblem(name);
  const manyToMany = kind === 'many_to_many';
  const effectiveOnDelete: OnDeleteAction = manyToMany ? 'CASCADE' : onDelete;
  const requiredConflict = required && effectiveOnDelete === 'SET NULL';
  const canSubmit = source && target && name && !problem && !requiredConflict;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!canSubmit) return;
    create.mutate(
      {
        collectionId: source,
        name,
        display_name: displayName.trim() || undefined,
        target_collection_id: target,
        relation_type: kind,
        on_delete: effectiveOnDelete,
        display_field: displayField || null,
        is_required: manyToMany ? false : required,
      },
      { onSuccess: () => onOpenChange(false) },
    );
  }

  const label = (list: { value: string; label: string }[], value: string) =>
    list.find((o) => o.value === value)?.label ?? value;
  const describe = (list: { value: string; description: string }[], value: string) =>
    list.find((o) => o.value === value)?.description;

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {create.error && <ProblemAlert error={create.error} />}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-[1fr_auto_1fr] sm:items-end">
        <Field id={`${id}-source`} label="Source collection">
          <Select id={`${id}-source`} value={source} onChange={(e) => setSource(e.target.value)}>
            {user.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
        <span className="hidden pb-2 text-muted-foreground sm:block" aria-hidden="true">
          {manyToMany ? '⇄' : '→'}
        </span>
        <Field id={`${id}-target`} label="Target collection">
          <Select
            id={`${id}-target`}
            value={target}
            onChange={(e) => {
              setTarget(e.target.value);
              setDisplayField('');
            }}
          >
            <option value="" disabled>
              Choose…
            </option>
            {collections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.id === source ? ' (self)' : ''}
                {c.is_system ? ' (system)' : ''}
              </option>
            ))}
          </Select>
        </Field>
      </div>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          id={`${id}-name`}
          label="Name"
          error={problem}
          hint={
            name && !problem
              ? manyToMany
                ? `Junction table ${collections.find((c) => c.id === source)?.name ?? ''}_${name}`
                : `Column ${name}_id`
              : 'e.g. author, category, tags'
          }
        >
          <Input
            id={`${id}-name`}
            value={name}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => setName(e.target.value)}
            className="font-mono"
            autoFocus
          />
        </Field>
        <Field id={`${id}-display`} label="Display name" hint="Optional; defaults from the name">
          <Input
            id={`${id}-display`}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
          />
        </Field>
      </div>

      <fieldset className="space-y-2">
        <legend className="mb-1.5 text-sm font-medium">Type</legend>
        <div role="radiogroup" aria-label="Relation type" className="grid gap-2 sm:grid-cols-2">
          {RELATION_KINDS.map((k) => (
            <button
              key={k}
              type="button"
              role="radio"
              aria-checked={kind === k}
              onClick={() => setKind(k)}
              className={cn(
                'cursor-pointer rounded-lg border px-3 py-2.5 text-left transition-colors focus-visible:outline-2 focus-visible:outline-ring',
                kind === k
                  ? 'border-primary bg-accent text-accent-foreground'
                  : 'border-border hover:bg-muted',
              )}
            >
              <span className="block font-mono text-xs font-semibold">{k}</span>
              <span className="mt-0.5 block text-xs text-muted-foreground">
                {describe(options.relation_types, k) ?? label(options.relation_types, k)}
              </span>
            </button>
          ))}
        </div>
      </fieldset>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          id={`${id}-ondelete`}
          label="On delete"
          hint={
            manyToMany
              ? 'Junction rows always cascade.'
              : describe(options.on_delete_actions, onDelete)
          }
        >
          <Select
            id={`${id}-ondelete`}
            value={effectiveOnDelete}
            disabled={manyToMany}
            onChange={(e) => setOnDelete(e.target.value as OnDeleteAction)}
          >
            {ON_DELETE_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          id={`${id}-displayfield`}
          label="Display field"
          hint="Shown instead of the id when records are listed"
        >
          <Select
            id={`${id}-displayfield`}
            value={displayField}
            disabled={!targetCollection}
            onChange={(e) => setDisplayField(e.target.value)}
          >
            <option value="">Default</option>
            <option value="id">id</option>
            {displayChoices.map((f) => (
              <option key={f.id} value={f.name}>
                {f.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>

      <SwitchRow
        id={`${id}-required`}
        label="Required"
        hint={
          manyToMany
            ? 'A many-to-many relation cannot be required.'
            : requiredConflict
              ? 'SET NULL needs an optional relation.'
              : 'Every record must point at a target.'
        }
        checked={!manyToMany && required}
        disabled={manyToMany}
        onCheckedChange={setRequired}
      />

      <DialogFooter>
        <Button variant="outline" onClick={() => onOpenChange(false)}>
          Cancel
        </Button>
        <Button type="submit" disabled={!canSubmit} loading={create.isPending}>
          Create relation
        </Button>
      </DialogFooter>
    </form>
  );
}
