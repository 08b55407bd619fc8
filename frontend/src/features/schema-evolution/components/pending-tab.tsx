import { useState } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import {
  ArrowRightLeft,
  CheckCheck,
  Eraser,
  GitPullRequestArrow,
  MoreHorizontal,
  Pencil,
  RotateCcw,
  Trash2,
  Undo2,
  X,
} from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { FieldTypeIcon } from '@/components/ui/field-type-icon';
import { Select } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Menu } from '@/components/ui/menu';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import type { Collection, FieldDef } from '@/lib/schema-meta';
import { cn, formatDateTime } from '@/lib/utils';
import { useApplyPending, useDiscardPending } from '../api/evolution-mutations';
import { allFieldsQueryOptions, pendingQueryOptions } from '../api/evolution-query';
import { OPERATION_LABEL, type ApplyResult, type PendingChange } from '../types';
import { OperationDialog, type OperationTarget } from './operation-dialog';
import { SqlSteps } from './sql-steps';

interface PendingTabProps {
  projectId: string;
  collections: Collection[];
  collection: Collection | undefined;
  onCollectionChange: (name: string) => void;
}

export function PendingTab({
  projectId,
  collections,
  collection,
  onCollectionChange,
}: PendingTabProps) {
  const [target, setTarget] = useState<OperationTarget | null>(null);
  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-[22rem_1fr]">
      <ChangePanel
        projectId={projectId}
        collections={collections}
        collection={collection}
        onCollectionChange={onCollectionChange}
        onAction={setTarget}
      />
      <PendingList projectId={projectId} collections={collections} />
      <OperationDialog projectId={projectId} target={target} onClose={() => setTarget(null)} />
    </div>
  );
}

function ChangePanel({
  projectId,
  collections,
  collection,
  onCollectionChange,
  onAction,
}: PendingTabProps & { onAction: (t: OperationTarget) => void }) {
  const fields = useQuery({
    ...allFieldsQueryOptions(projectId, collection?.name ?? ''),
    enabled: collection !== undefined,
  });
  const user = collections.filter((c) => !c.is_system);
  const list = (fields.data ?? []).filter((f) => !f.is_system);

  return (
    <Card className="h-fit overflow-hidden">
      <CardHeader
        title="Change the schema"
        description="Pick a field action; every change is previewed as SQL first."
      />
      {!collection ? (
        <p className="px-5 py-8 text-center text-sm text-muted-foreground">No collections yet.</p>
      ) : (
        <>
          <div className="flex items-end gap-2 border-b border-border px-5 py-3">
            <div className="min-w-0 flex-1 space-y-1.5">
              <Label htmlFor="evolution-collection">Collection</Label>
              <Select
                id="evolution-collection"
                value={collection.name}
                onChange={(e) => onCollectionChange(e.target.value)}
              >
                {user.map((c) => (
                  <option key={c.id} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </Select>
            </div>
            <Button
              variant="outline"
              onClick={() => onAction({ operation: 'rename_table', collection })}
            >
              <Pencil aria-hidden="true" />
              Rename
            </Button>
          </div>
          {!fields.data ? (
            <div className="space-y-2 p-4">
              <Skeleton className="h-8" />
              <Skeleton className="h-8" />
            </div>
          ) : list.length === 0 ? (
            <p className="px-5 py-8 text-center text-sm text-muted-foreground">
              No fields in {collection.name}.
            </p>
          ) : (
            <ul aria-label={`Fields of ${collection.name}`} className="divide-y divide-border">
              {list.map((f) => (
                <FieldRow
                  key={f.id}
                  field={f}
                  onAction={(operation) => onAction({ operation, collection, field: f })}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}

function FieldRow({
  field,
  onAction,
}: {
  field: FieldDef;
  onAction: (op: OperationTarget['operation']) => void;
}) {
  const item =
    'flex w-full cursor-pointer items-center gap-2 rounded-md px-2.5 py-1.5 text-left text-sm outline-none hover:bg-muted focus-visible:bg-muted [&_svg]:size-4 [&_svg]:text-muted-foreground';
  return (
    <li
      className="flex items-center gap-3 px-5 py-2"
      data-testid="evolution-field"
      data-field-name={field.name}
    >
      <FieldTypeIcon
        type={field.field_type}
        className={cn('size-4 shrink-0', field.is_deleted && 'opacity-50')}
      />
      <div className="min-w-0 flex-1">
        <p
          className={cn(
            'truncate font-mono text-sm',
            field.is_deleted && 'line-through opacity-60',
          )}
        >
          {field.name}
        </p>
        <p className="text-xs text-muted-foreground">{field.field_type}</p>
      </div>
      {field.is_deleted && <Badge tone="warning">soft-deleted</Badge>}
      <Menu
        label={`Actions for ${field.name}`}
        trigger={(props) => (
          <Button {...props} variant="ghost" size="icon" aria-label={`Actions for ${field.name}`}>
            <MoreHorizontal aria-hidden="true" />
          </Button>
        )}
      >
        {(close) => (
          <>
            <button
              type="button"
              role="menuitem"
              className={item}
              onClick={() => {
                close();
                onAction('rename_column');
              }}
            >
              <Pencil aria-hidden="true" />
              Rename field
            </button>
            {field.field_type !== 'relation' && (
              <button
                type="button"
                role="menuitem"
                className={item}
                onClick={() => {
                  close();
                  onAction('change_column_type');
                }}
              >
                <ArrowRightLeft aria-hidden="true" />
                Change type
              </button>
            )}
            {field.is_deleted ? (
              <button
                type="button"
                role="menuitem"
                className={item}
                onClick={() => {
                  close();
                  onAction('restore_column');
                }}
              >
                <Undo2 aria-hidden="true" />
                Restore field
              </button>
            ) : (
              <button
                type="button"
                role="menuitem"
                className={item}
                onClick={() => {
                  close();
                  onAction('soft_delete_column');
                }}
              >
                <Eraser aria-hidden="true" />
                Soft-delete field
              </button>
            )}
            <div className="my-1 h-px bg-border" />
            <button
              type="button"
              role="menuitem"
              className={cn(item, 'text-destructive [&_svg]:text-destructive')}
              onClick={() => {
                close();
                onAction('drop_column');
              }}
            >
              <Trash2 aria-hidden="true" />
              Hard-delete field
            </button>
          </>
        )}
      </Menu>
    </li>
  );
}

function describeParams(
  p: PendingChange,
  collections: Collection[],
  fieldNames: Map<string, string>,
): string {
  const c = collections.find((x) => x.id === p.collection_id)?.name ?? 'unknown collection';
  const f = p.params.field_id ? (fieldNames.get(p.params.field_id) ?? '…') : null;
  const parts: string[] = [f ? `${c}.${f}` : c];
  if (typeof p.params.new_name === 'string') parts.push(`→ ${p.params.new_name}`);
  if (typeof p.params.new_type === 'string') parts.push(`→ ${p.params.new_type}`);
  if (p.params.force) parts.push('(force)');
  return parts.join(' ');
}

function PendingList({ projectId, collections }: { projectId: string; collections: Collection[] }) {
  const pending = useQuery(pendingQueryOptions(projectId, 'pending'));
  const failed = useQuery(pendingQueryOptions(projectId, 'failed'));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [lastRun, setLastRun] = useState<ApplyResult | null>(null);
  const apply = useApplyPending(projectId);
  const discard = useDiscardPending(projectId);
  const items = pending.data ?? [];
  const chosen = items.filter((p) => selected.has(p.id)).map((p) => p.id);
  // Pending changes name fields by id; the collections' field lists give their names.
  const touched = [
    ...new Set(
      [...items, ...(failed.data ?? [])]
        .map((p) => collections.find((c) => c.id === p.collection_id)?.name)
        .filter((n): n is string => n !== undefined),
    ),
  ];
  const fieldLists = useQueries({
    queries: touched.map((name) => allFieldsQueryOptions(projectId, name)),
  });
  const fieldNames = new Map<string, string>();
  for (const q of fieldLists) for (const f of q.data ?? []) fieldNames.set(f.id, f.name);

  function run(ids?: string[]) {
    apply.mutate(ids, {
      onSuccess: (r) => {
        setLastRun(r);
        setSelected(new Set());
      },
    });
  }

  function toggle(id: string) {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  return (
    <div className="min-w-0 space-y-6">
      <Card className="overflow-hidden">
        <CardHeader
          title={
            <span className="flex items-center gap-2">
              <GitPullRequestArrow className="size-4 text-primary" aria-hidden="true" />
              Pending changes
              {items.length > 0 && <Badge tone="accent">{items.length}</Badge>}
            </span>
          }
          description="Applied in the order they were queued, each in its own transaction. The run stops at the first failure."
          actions={
            <>
              <Button
                variant="outline"
                disabled={chosen.length === 0 || apply.isPending}
                onClick={() => run(chosen)}
              >
                Apply selected{chosen.length > 0 ? ` (${chosen.length})` : ''}
              </Button>
              <Button disabled={items.length === 0} loading={apply.isPending} onClick={() => run()}>
                <CheckCheck aria-hidden="true" />
                Apply all
              </Button>
            </>
          }
        />
        {lastRun && (
          <div className="border-b border-border px-5 py-3">
            {lastRun.success ? (
              <Alert title={`Applied ${lastRun.applied.length} change(s)`}>
                {lastRun.applied
                  .map(
                    (a) =>
                      OPERATION_LABEL[a.operation as keyof typeof OPERATION_LABEL] ?? a.operation,
                  )
                  .join(', ')}
              </Alert>
            ) : (
              <Alert tone="danger" title={`A change failed: ${lastRun.failed?.error ?? ''}`}>
                {lastRun.applied.length} applied before it
                {lastRun.not_attempted.length > 0
                  ? `; ${lastRun.not_attempted.length} not attempted and still pending`
                  : ''}
                .
              </Alert>
            )}
          </div>
        )}
        {pending.isError ? (
          <div className="p-4">
            <ProblemAlert error={pending.error} />
          </div>
        ) : !pending.data ? (
          <div className="space-y-2 p-4">
            <Skeleton className="h-16" />
            <Skeleton className="h-16" />
          </div>
        ) : items.length === 0 ? (
          <p className="px-5 py-12 text-center text-sm text-muted-foreground">
            Nothing queued. Use “Add to pending” in a field action to batch changes, then apply them
            together.
          </p>
        ) : (
          <ol className="divide-y divide-border" aria-label="Pending changes">
            {items.map((p, i) => (
              <li
                key={p.id}
                className="space-y-2 px-5 py-4"
                data-testid="pending-change"
                data-operation={p.operation}
              >
                <div className="flex flex-wrap items-center gap-3">
                  <input
                    type="checkbox"
                    className="size-4 cursor-pointer accent-primary"
                    aria-label={`Select change ${i + 1}`}
                    checked={selected.has(p.id)}
                    onChange={() => toggle(p.id)}
                  />
                  <span className="text-xs text-muted-foreground tabular-nums">#{i + 1}</span>
                  <Badge tone="accent">{OPERATION_LABEL[p.operation] ?? p.operation}</Badge>
                  <span className="font-mono text-xs">
                    {describeParams(p, collections, fieldNames)}
                  </span>
                  <span className="ml-auto text-xs text-muted-foreground">
                    {formatDateTime(p.created_at)}
                  </span>
                  <Button
                    variant="ghost"
                    size="icon"
                    aria-label={`Discard change ${i + 1}`}
                    className="text-muted-foreground hover:text-destructive"
                    onClick={() => discard.mutate(p)}
                  >
                    <X aria-hidden="true" />
                  </Button>
                </div>
                <SqlSteps steps={p.steps} />
                {p.warnings.map((w) => (
                  <Alert key={w} tone="warning">
                    {w}
                  </Alert>
                ))}
              </li>
            ))}
          </ol>
        )}
      </Card>

      {(failed.data?.length ?? 0) > 0 && (
        <Card className="overflow-hidden border-destructive/30">
          <CardHeader
            title="Failed changes"
            description="They were not applied. Discard them, or queue a corrected change."
          />
          <ul className="divide-y divide-border">
            {failed.data?.map((p) => (
              <li
                key={p.id}
                className="flex flex-wrap items-center gap-3 px-5 py-3"
                data-testid="failed-change"
              >
                <Badge tone="danger" dot>
                  failed
                </Badge>
                <span className="text-sm font-medium">{OPERATION_LABEL[p.operation]}</span>
                <span className="font-mono text-xs">
                  {describeParams(p, collections, fieldNames)}
                </span>
                <span className="basis-full text-sm text-destructive">{p.error}</span>
                <Button
                  variant="ghost"
                  size="sm"
                  className="ml-auto"
                  onClick={() => discard.mutate(p)}
                >
                  <RotateCcw aria-hidden="true" />
                  Discard
                </Button>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
