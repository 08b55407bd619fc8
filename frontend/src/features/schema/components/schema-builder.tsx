import { useState } from 'react';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import {
  Database,
  KeyRound,
  Lock,
  MoreHorizontal,
  Pencil,
  Plus,
  Table2,
  Trash2,
} from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { FieldTypeIcon } from '@/components/ui/field-type-icon';
import { Menu, menuItemClasses, MenuSeparator } from '@/components/ui/menu';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import {
  collectionsQueryOptions,
  fieldsQueryOptions,
  type Collection,
  type FieldDef,
} from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { useDeleteField } from '../api/schema-mutations';
import {
  CreateCollectionDialog,
  DeleteCollectionDialog,
  EditCollectionDialog,
} from './collection-dialogs';
import { CollectionIcon } from './collection-icon';
import { FIELD_TYPE_LABELS, FieldDialog } from './field-dialog';

interface SchemaBuilderProps {
  projectId: string;
  selected: string | undefined;
  onSelect: (name: string | undefined) => void;
  createOpen: boolean;
  onCreateOpenChange: (open: boolean) => void;
}

export function SchemaBuilder({
  projectId,
  selected,
  onSelect,
  createOpen,
  onCreateOpenChange,
}: SchemaBuilderProps) {
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  const sorted = [...collections].sort(
    (a, b) => Number(b.is_system) - Number(a.is_system) || a.name.localeCompare(b.name),
  );
  const current =
    sorted.find((c) => c.name === selected) ?? sorted.find((c) => !c.is_system) ?? sorted[0];

  return (
    <>
      <PageHeader
        title="Schema"
        description="Collections and fields become real PostgreSQL tables and columns. Every change runs in one transaction."
        actions={
          <Button onClick={() => onCreateOpenChange(true)}>
            <Plus aria-hidden="true" />
            New collection
          </Button>
        }
      />
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
        <Card className="overflow-hidden">
          <div className="flex items-center justify-between border-b border-border px-4 py-2.5">
            <h2 className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">
              Collections
            </h2>
            <span className="text-xs text-muted-foreground">{collections.length}</span>
          </div>
          <nav aria-label="Collections" className="max-h-[70vh] overflow-y-auto p-1.5">
            <ul className="grid gap-0.5">
              {sorted.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    onClick={() => onSelect(c.name)}
                    aria-current={current?.name === c.name ? 'page' : undefined}
                    className={cn(
                      'flex w-full cursor-pointer items-center gap-2.5 rounded-md px-2.5 py-2 text-left text-sm transition-colors',
                      'focus-visible:outline-2 focus-visible:outline-ring',
                      current?.name === c.name
                        ? 'bg-accent font-medium text-accent-foreground'
                        : 'text-foreground hover:bg-muted',
                    )}
                  >
                    <CollectionIcon icon={c.icon} className="size-4 shrink-0 opacity-70" />
                    <span className="min-w-0 flex-1 truncate">{c.display_name || c.name}</span>
                    {c.is_system ? (
                      <Lock className="size-3 shrink-0 opacity-60" aria-label="System" />
                    ) : (
                      <span className="text-xs text-muted-foreground tabular-nums">
                        {c.field_count}
                      </span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div className="border-t border-border p-2">
            <Button
              variant="ghost"
              size="sm"
              className="w-full justify-start"
              onClick={() => onCreateOpenChange(true)}
            >
              <Plus aria-hidden="true" />
              Add collection
            </Button>
          </div>
        </Card>

        {current && !(sorted.length === 1 && current.is_system && !selected) ? (
          <CollectionDetail
            key={current.id}
            projectId={projectId}
            collection={current}
            collections={collections}
            onDeleted={() => onSelect(undefined)}
          />
        ) : (
          <EmptyState
            icon={Database}
            title="Create your first collection"
            description="Collections hold your app's records: posts, products, orders. Start with one and add fields to it."
            action={
              <div className="flex gap-2">
                <Button onClick={() => onCreateOpenChange(true)}>
                  <Plus aria-hidden="true" />
                  New collection
                </Button>
                {current && (
                  <Button variant="outline" onClick={() => onSelect(current.name)}>
                    View {current.name}
                  </Button>
                )}
              </div>
            }
          />
        )}
      </div>
      <CreateCollectionDialog
        projectId={projectId}
        open={createOpen}
        onOpenChange={onCreateOpenChange}
        onCreated={(c) => onSelect(c.name)}
      />
    </>
  );
}

function CollectionDetail({
  projectId,
  collection,
  collections,
  onDeleted,
}: {
  projectId: string;
  collection: Collection;
  collections: Collection[];
  onDeleted: () => void;
}) {
  const fieldsQuery = useQuery(fieldsQueryOptions(projectId, collection.name));
  const fields = fieldsQuery.data ?? [];
  const [editOpen, setEditOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [fieldDialog, setFieldDialog] = useState<{ field: FieldDef | null } | null>(null);
  const [deletingField, setDeletingField] = useState<FieldDef | null>(null);
  const delField = useDeleteField(projectId, collection.name);

  return (
    <Card className="min-w-0 overflow-hidden" data-testid="collection-detail">
      <div className="flex flex-wrap items-start justify-between gap-4 border-b border-border px-5 py-4">
        <div className="flex min-w-0 items-start gap-3">
          <div className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-accent text-accent-foreground">
            <CollectionIcon icon={collection.icon} className="size-5" />
          </div>
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              <h2 className="truncate text-lg font-semibold">{collection.display_name}</h2>
              {collection.is_system && (
                <Badge tone="warning">
                  <Lock className="size-3" aria-hidden="true" />
                  System
                </Badge>
              )}
            </div>
            <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
              <code className="font-mono">{collection.name}</code>
              <span>
                table <code className="font-mono">{collection.sql_table_name}</code>
              </span>
              {collection.display_field && (
                <span>
                  display field <code className="font-mono">{collection.display_field}</code>
                </span>
              )}
            </p>
            {collection.description && (
              <p className="text-sm text-muted-foreground">{collection.description}</p>
            )}
          </div>
        </div>
        <div className="flex items-center gap-2">
          <Link
            to="/projects/$projectId/data"
            params={{ projectId }}
            search={{ collection: collection.name }}
            className={buttonClasses('outline', 'sm')}
          >
            <Table2 aria-hidden="true" />
            Browse data
          </Link>
          <Button size="sm" onClick={() => setFieldDialog({ field: null })}>
            <Plus aria-hidden="true" />
            Add field
          </Button>
          <Menu
            label="Collection actions"
            trigger={(props) => (
              <Button {...props} variant="ghost" size="icon" aria-label="Collection actions">
                <MoreHorizontal aria-hidden="true" />
              </Button>
            )}
          >
            {(close) => (
              <>
                <button
                  type="button"
                  role="menuitem"
                  className={menuItemClasses}
                  onClick={() => {
                    close();
                    setEditOpen(true);
                  }}
                >
                  <Pencil aria-hidden="true" />
                  Edit collection
                </button>
                {!collection.is_system && (
                  <>
                    <MenuSeparator />
                    <button
                      type="button"
                      role="menuitem"
                      className={cn(menuItemClasses, 'text-destructive [&_svg]:text-destructive')}
                      onClick={() => {
                        close();
                        setDeleteOpen(true);
                      }}
                    >
                      <Trash2 aria-hidden="true" />
                      Delete collection
                    </button>
                  </>
                )}
              </>
            )}
          </Menu>
        </div>
      </div>

      {fieldsQuery.isPending ? (
        <div className="space-y-2 p-5" aria-busy="true" aria-label="Loading fields">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-10" />
          ))}
        </div>
      ) : fieldsQuery.isError ? (
        <div className="p-5">
          <ProblemAlert error={fieldsQuery.error} />
        </div>
      ) : (
        <Table aria-label="Fields">
          <THead>
            <tr>
              <TH>Field</TH>
              <TH>Type</TH>
              <TH>Flags</TH>
              <TH className="hidden xl:table-cell">Default</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            <ImplicitRow
              name="id"
              type={collection.is_system ? 'uuid' : 'int'}
              note="Primary key"
            />
            {fields.map((f) => (
              <FieldRow
                key={f.id}
                field={f}
                collections={collections}
                onEdit={() => setFieldDialog({ field: f })}
                onDelete={() => setDeletingField(f)}
              />
            ))}
            <ImplicitRow name="created_at" type="datetime" note="Set on insert" />
            <ImplicitRow name="updated_at" type="datetime" note="Set on every update" />
          </TBody>
        </Table>
      )}
      {!fieldsQuery.isPending && fields.length === 0 && (
        <div className="border-t border-border px-5 py-8 text-center">
          <p className="text-sm font-medium">No fields yet</p>
          <p className="mt-1 text-sm text-muted-foreground">
            Add fields such as a title, a price or a published flag.
          </p>
          <Button className="mt-3" size="sm" onClick={() => setFieldDialog({ field: null })}>
            <Plus aria-hidden="true" />
            Add field
          </Button>
        </div>
      )}

      <FieldDialog
        projectId={projectId}
        collection={collection.name}
        field={fieldDialog?.field}
        open={fieldDialog !== null}
        onOpenChange={(open) => !open && setFieldDialog(null)}
      />
      <EditCollectionDialog
        projectId={projectId}
        collection={collection}
        fields={fields}
        open={editOpen}
        onOpenChange={setEditOpen}
      />
      <DeleteCollectionDialog
        projectId={projectId}
        collection={collection}
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        onDeleted={onDeleted}
      />
      <ConfirmDialog
        open={deletingField !== null}
        onOpenChange={(open) => !open && setDeletingField(null)}
        title="Delete field"
        description={
          <>
            Delete <code className="font-mono">{deletingField?.name}</code> from{' '}
            <code className="font-mono">{collection.name}</code>? Its values will no longer be
            readable.
          </>
        }
        confirmLabel="Delete field"
        pending={delField.isPending}
        onConfirm={() =>
          deletingField &&
          delField.mutate(deletingField.name, {
            onSuccess: () => setDeletingField(null),
          })
        }
      />
    </Card>
  );
}

function ImplicitRow({ name, type, note }: { name: string; type: string; note: string }) {
  return (
    <TR className="bg-muted/20 text-muted-foreground hover:bg-muted/20">
      <TD>
        <div className="flex items-center gap-2.5">
          <FieldTypeIcon type={type} className="opacity-60" />
          <code className="font-mono text-xs">{name}</code>
        </div>
      </TD>
      <TD className="text-xs">{FIELD_TYPE_LABELS[type as keyof typeof FIELD_TYPE_LABELS]}</TD>
      <TD>
        <Badge>
          <KeyRound className="size-3" aria-hidden="true" />
          {note}
        </Badge>
      </TD>
      <TD className="hidden xl:table-cell" />
      <TD className="w-12">
        <Lock className="mx-auto size-3.5 opacity-50" aria-label="Managed by Backendify" />
      </TD>
    </TR>
  );
}

function optionsSummary(f: FieldDef, collections: Collection[]): string | null {
  const o = f.options ?? {};
  if (f.field_type === 'enum' && o.values) return o.values.join(' · ');
  if (f.field_type === 'decimal' && o.precision) return `${o.precision}, ${o.scale ?? 0}`;
  if (f.field_type === 'string' && o.max_length) return `max ${o.max_length}`;
  if (f.field_type === 'file' && o.bucket) return `bucket ${o.bucket}`;
  if (f.field_type === 'relation') {
    const target = collections.find((c) => c.id === f.relation_target_collection_id);
    return `${(f.relation_type ?? '').replace(/_/g, ' ')} → ${target?.name ?? 'unknown'}`;
  }
  return null;
}

function FieldRow({
  field: f,
  collections,
  onEdit,
  onDelete,
}: {
  field: FieldDef;
  collections: Collection[];
  onEdit: () => void;
  onDelete: () => void;
}) {
  const summary = optionsSummary(f, collections);
  const type = f.field_type === ('boolean' as string) ? 'bool' : f.field_type;
  return (
    <TR data-testid="field-row" data-field-name={f.name}>
      <TD>
        <div className="flex items-center gap-2.5">
          <FieldTypeIcon type={type} />
          <div className="min-w-0">
            <div className="truncate font-medium">{f.display_name}</div>
            <code className="font-mono text-xs text-muted-foreground">{f.name}</code>
          </div>
        </div>
      </TD>
      <TD>
        <div className="text-sm">{FIELD_TYPE_LABELS[type] ?? type}</div>
        {summary && (
          <div className="max-w-56 truncate text-xs text-muted-foreground" title={summary}>
            {summary}
          </div>
        )}
      </TD>
      <TD>
        <div className="flex flex-wrap gap-1">
          {f.is_system && (
            <Badge tone="warning">
              <Lock className="size-3" aria-hidden="true" />
              system
            </Badge>
          )}
          {f.is_required && <Badge tone="accent">required</Badge>}
          {f.is_unique && <Badge tone="success">unique</Badge>}
          {f.is_indexed && <Badge>indexed</Badge>}
          {f.is_hidden && <Badge tone="danger">hidden</Badge>}
        </div>
      </TD>
      <TD className="hidden max-w-40 truncate font-mono text-xs xl:table-cell">
        {f.default_value === null || f.default_value === undefined ? (
          <span className="text-muted-foreground">—</span>
        ) : (
          String(
            typeof f.default_value === 'object' ? JSON.stringify(f.default_value) : f.default_value,
          )
        )}
      </TD>
      <TD className="w-24 text-right">
        <div className="flex justify-end gap-0.5">
          <Button variant="ghost" size="icon" onClick={onEdit} aria-label={`Edit field ${f.name}`}>
            <Pencil aria-hidden="true" />
          </Button>
          {!f.is_system && f.field_type !== 'relation' && (
            <Button
              variant="ghost"
              size="icon"
              onClick={onDelete}
              aria-label={`Delete field ${f.name}`}
              className="text-muted-foreground hover:text-destructive"
            >
              <Trash2 aria-hidden="true" />
            </Button>
          )}
        </div>
      </TD>
    </TR>
  );
}

export function SchemaBuilderSkeleton() {
  return (
    <PageSkeleton label="Loading" titleWidth="w-40">
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
        <Skeleton className="h-72 rounded-xl" />
        <Skeleton className="h-96 rounded-xl" />
      </div>
    </PageSkeleton>
  );
}
