import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Textarea } from '@/components/ui/textarea';
import { IDENTIFIER_PATTERN, type Collection, type FieldDef } from '@/lib/schema-meta';
import { slugify } from '@/lib/slugify';
import { cn } from '@/lib/utils';
import {
  useCreateCollection,
  useDeleteCollection,
  useUpdateCollection,
} from '../api/schema-mutations';
import { COLLECTION_ICONS, CollectionIcon } from './collection-icon';

/** Why a collection or field name is not allowed, or null. Mirrors the server's rule. */
export function identifierProblem(name: string): string | null {
  if (!name) return 'Required.';
  if (!/^[a-z]/.test(name)) return 'Must start with a lowercase letter.';
  if (name.length > 63) return 'At most 63 characters.';
  if (!IDENTIFIER_PATTERN.test(name)) return 'Use only lowercase letters, digits and underscores.';
  return null;
}

function humanize(name: string): string {
  const spaced = name.replace(/_+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

interface CreateCollectionDialogProps {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (collection: Collection) => void;
}

export function CreateCollectionDialog({
  projectId,
  open,
  onOpenChange,
  onCreated,
}: CreateCollectionDialogProps) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Create collection"
      description="A collection is a real PostgreSQL table. It starts with id, created_at and updated_at."
    >
      <CreateCollectionForm
        projectId={projectId}
        onCancel={() => onOpenChange(false)}
        onCreated={(c) => {
          onOpenChange(false);
          onCreated(c);
        }}
      />
    </Dialog>
  );
}

function CreateCollectionForm({
  projectId,
  onCancel,
  onCreated,
}: {
  projectId: string;
  onCancel: () => void;
  onCreated: (c: Collection) => void;
}) {
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const [nameEdited, setNameEdited] = useState(false);
  const create = useCreateCollection(projectId);
  const problem = identifierProblem(name);

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (problem) return;
    create.mutate(
      {
        name,
        display_name: displayName.trim() || humanize(name),
        ...(description.trim() ? { description: description.trim() } : {}),
      },
      { onSuccess: onCreated },
    );
  }

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-4" noValidate>
      <ProblemAlert error={create.error} />
      <Field id="collection-display-name" label="Display name">
        <Input
          id="collection-display-name"
          value={displayName}
          onChange={(e) => {
            setDisplayName(e.target.value);
            if (!nameEdited) setName(slugify(e.target.value));
          }}
          placeholder="Blog posts"
        />
      </Field>
      <Field
        id="collection-name"
        label="Name"
        hint="Used in the API and as the table name; made from the display name until you edit it. Lowercase letters, digits and _."
        error={touched && name ? (problem ?? undefined) : undefined}
      >
        <Input
          id="collection-name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setNameEdited(true);
            setTouched(true);
          }}
          placeholder="blog_posts"
          className="font-mono"
          aria-invalid={touched && !!name && !!problem}
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <Field id="collection-description" label="Description">
        <Textarea
          id="collection-description"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          placeholder="What this collection holds"
        />
      </Field>
      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending} disabled={!!problem}>
          Create collection
        </Button>
      </DialogFooter>
    </form>
  );
}

interface EditCollectionDialogProps {
  projectId: string;
  collection: Collection;
  fields: FieldDef[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

export function EditCollectionDialog({
  projectId,
  collection,
  fields,
  open,
  onOpenChange,
}: EditCollectionDialogProps) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Edit collection"
      description={
        <>
          Settings of <code className="font-mono">{collection.name}</code>. The name is changed in
          Schema Evolution.
        </>
      }
    >
      <EditCollectionForm
        projectId={projectId}
        collection={collection}
        fields={fields}
        onDone={() => onOpenChange(false)}
      />
    </Dialog>
  );
}

function EditCollectionForm({
  projectId,
  collection,
  fields,
  onDone,
}: {
  projectId: string;
  collection: Collection;
  fields: FieldDef[];
  onDone: () => void;
}) {
  const [displayName, setDisplayName] = useState(collection.display_name);
  const [description, setDescription] = useState(collection.description ?? '');
  const [icon, setIcon] = useState(collection.icon ?? '');
  const [displayField, setDisplayField] = useState(collection.display_field ?? '');
  const update = useUpdateCollection(projectId, collection.name);
  const candidates = fields.filter((f) => !f.is_hidden && f.field_type !== 'json');

  function submit(e: FormEvent) {
    e.preventDefault();
    update.mutate(
      {
        display_name: displayName.trim() || collection.name,
        description: description.trim() || null,
        icon: icon || null,
        display_field: displayField || null,
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-4">
      <ProblemAlert error={update.error} />
      <Field id="edit-collection-display-name" label="Display name">
        <Input
          id="edit-collection-display-name"
          autoFocus
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
      </Field>
      <Field id="edit-collection-description" label="Description">
        <Textarea
          id="edit-collection-description"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <fieldset className="grid grid-cols-1 gap-1.5">
        <legend className="mb-1.5 text-sm font-medium">Icon</legend>
        <div className="flex flex-wrap gap-1.5">
          {Object.keys(COLLECTION_ICONS).map((key) => (
            <button
              key={key}
              type="button"
              aria-label={key}
              aria-pressed={icon === key}
              onClick={() => setIcon(icon === key ? '' : key)}
              className={cn(
                'flex size-9 cursor-pointer items-center justify-center rounded-md border transition-colors',
                icon === key
                  ? 'border-primary bg-accent text-accent-foreground'
                  : 'border-border text-muted-foreground hover:bg-muted hover:text-foreground',
              )}
            >
              <CollectionIcon icon={key} className="size-4" />
            </button>
          ))}
        </div>
      </fieldset>
      <Field
        id="edit-collection-display-field"
        label="Display field"
        hint="Shown for a record of this collection in relation columns and pickers."
      >
        <Select
          id="edit-collection-display-field"
          value={displayField}
          onChange={(e) => setDisplayField(e.target.value)}
        >
          <option value="">id (default)</option>
          {candidates.map((f) => (
            <option key={f.id} value={f.name}>
              {f.display_name} ({f.name})
            </option>
          ))}
        </Select>
      </Field>
      <DialogFooter>
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={update.isPending}>
          Save changes
        </Button>
      </DialogFooter>
    </form>
  );
}

interface DeleteCollectionDialogProps {
  projectId: string;
  collection: Collection;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDeleted: () => void;
}

export function DeleteCollectionDialog({
  projectId,
  collection,
  open,
  onOpenChange,
  onDeleted,
}: DeleteCollectionDialogProps) {
  const [typed, setTyped] = useState('');
  const del = useDeleteCollection(projectId);

  function change(next: boolean) {
    if (!next) {
      setTyped('');
      del.reset();
    }
    onOpenChange(next);
  }

  return (
    <Dialog
      open={open}
      onOpenChange={change}
      title="Delete collection"
      description="This drops the table and every record in it. It cannot be undone."
      footer={
        <>
          <Button variant="outline" onClick={() => change(false)} disabled={del.isPending}>
            Cancel
          </Button>
          <Button
            variant="destructive"
            disabled={typed !== collection.name}
            loading={del.isPending}
            onClick={() =>
              del.mutate(collection.name, {
                onSuccess: () => {
                  change(false);
                  onDeleted();
                },
              })
            }
          >
            Delete collection
          </Button>
        </>
      }
    >
      <div className="grid grid-cols-1 gap-4">
        <ProblemAlert error={del.error} />
        <Field
          id="delete-collection-confirm"
          label={
            <>
              Type <code className="font-mono font-semibold">{collection.name}</code> to confirm
            </>
          }
        >
          <Input
            id="delete-collection-confirm"
            autoFocus
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            className="font-mono"
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
      </div>
    </Dialog>
  );
}
