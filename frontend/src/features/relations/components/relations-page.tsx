import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Database, LayoutList, Network, Plus, Trash2 } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Select } from '@/components/ui/input';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { Collection } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { useDeleteRelation } from '../api/relation-mutations';
import { relationsQueryOptions } from '../api/relations-query';
import type { Relation } from '../types';
import { RelationDialog } from './relation-dialog';
import { RelationDiagram } from './relation-diagram';

export type RelationsView = 'diagram' | 'list';

interface RelationsPageProps {
  projectId: string;
  collections: Collection[];
  view: RelationsView;
  collection: string | undefined;
  createOpen: boolean;
  onViewChange: (view: RelationsView) => void;
  onCollectionChange: (collection: string | undefined) => void;
  onCreateOpenChange: (open: boolean) => void;
}

const ON_DELETE_TONE = { RESTRICT: 'neutral', CASCADE: 'danger', 'SET NULL': 'warning' } as const;

export function RelationsPage({
  projectId,
  collections,
  view,
  collection,
  createOpen,
  onViewChange,
  onCollectionChange,
  onCreateOpenChange,
}: RelationsPageProps) {
  const relations = useQuery(relationsQueryOptions(projectId));
  const [deleting, setDeleting] = useState<Relation | null>(null);
  const del = useDeleteRelation(projectId);
  const userCollections = collections.filter((c) => !c.is_system);
  const list = relations.data ?? [];
  // System collections appear only when a relation touches them.
  const shown = collections.filter(
    (c) =>
      !c.is_system ||
      list.some((r) => r.collection_id === c.id || r.relation_target_collection_id === c.id),
  );
  const filtered = collection
    ? list.filter(
        (r) => r.collection_name === collection || r.target_collection_name === collection,
      )
    : list;

  const viewTab = (v: RelationsView, label: string, Icon: typeof Network) => (
    <button
      type="button"
      role="tab"
      aria-selected={view === v}
      onClick={() => onViewChange(v)}
      className={cn(
        'inline-flex cursor-pointer items-center gap-1.5 rounded-md px-3 py-1.5 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-ring [&_svg]:size-3.5',
        view === v
          ? 'bg-card text-foreground shadow-xs'
          : 'text-muted-foreground hover:text-foreground',
      )}
    >
      <Icon aria-hidden="true" />
      {label}
    </button>
  );

  return (
    <>
      <PageHeader
        title="Relationships"
        description="How collections point at each other. Many-to-one relations add a foreign-key column; many-to-many relations get a junction table."
        actions={
          userCollections.length > 0 && (
            <Button onClick={() => onCreateOpenChange(true)}>
              <Plus aria-hidden="true" />
              New relation
            </Button>
          )
        }
      />
      {userCollections.length === 0 ? (
        <EmptyState
          icon={Database}
          title="No collections yet"
          description="Relations connect collections. Create a couple in the Schema module first."
          action={
            <Link
              to="/projects/$projectId/schema"
              params={{ projectId }}
              className={buttonClasses('outline')}
            >
              Open Schema
            </Link>
          }
        />
      ) : (
        <Card className="overflow-hidden">
          <div className="flex flex-wrap items-center justify-between gap-3 border-b border-border px-4 py-3">
            <div role="tablist" aria-label="View" className="flex gap-1 rounded-lg bg-muted p-1">
              {viewTab('diagram', 'Diagram', Network)}
              {viewTab('list', 'List', LayoutList)}
            </div>
            <div className="flex items-center gap-3">
              <span className="text-xs whitespace-nowrap text-muted-foreground">
                {list.length} relation{list.length === 1 ? '' : 's'} · {userCollections.length}{' '}
                collection{userCollections.length === 1 ? '' : 's'}
              </span>
              <label className="sr-only" htmlFor="relations-focus">
                Focus collection
              </label>
              <div className="w-44">
                <Select
                  id="relations-focus"
                  className="h-8 text-xs"
                  value={collection ?? ''}
                  onChange={(e) => onCollectionChange(e.target.value || undefined)}
                >
                  <option value="">All collections</option>
                  {userCollections.map((c) => (
                    <option key={c.id} value={c.name}>
                      {c.name}
                    </option>
                  ))}
                </Select>
              </div>
            </div>
          </div>
          {relations.isError ? (
            <div className="p-4">
              <ProblemAlert error={relations.error} />
            </div>
          ) : !relations.data ? (
            <Skeleton className="m-4 h-72" />
          ) : view === 'diagram' ? (
            <div className="bg-muted/20">
              <RelationDiagram
                collections={shown}
                relations={list}
                highlighted={collection}
                onSelectRelation={(r) => onCollectionChange(r.collection_name)}
              />
            </div>
          ) : filtered.length === 0 ? (
            <p className="px-5 py-12 text-center text-sm text-muted-foreground">
              No relations{collection ? ` touch “${collection}”` : ' yet'}. Use “New relation” to
              connect two collections.
            </p>
          ) : (
            <Table aria-label="Relations">
              <THead>
                <tr>
                  <TH>Source</TH>
                  <TH>Relation</TH>
                  <TH>Type</TH>
                  <TH>Target</TH>
                  <TH>On delete</TH>
                  <TH>Display field</TH>
                  <TH>Storage</TH>
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                </tr>
              </THead>
              <TBody>
                {filtered.map((r) => (
                  <TR
                    key={r.id}
                    data-testid="relation-row"
                    data-relation={`${r.collection_name}.${r.name}`}
                  >
                    <TD className="font-mono text-xs">{r.collection_name}</TD>
                    <TD>
                      <span className="font-medium">{r.display_name}</span>
                      <code className="ml-2 font-mono text-xs text-muted-foreground">{r.name}</code>
                      {r.is_required && (
                        <Badge tone="accent" className="ml-2">
                          required
                        </Badge>
                      )}
                    </TD>
                    <TD>
                      <Badge tone={r.relation_type === 'many_to_many' ? 'accent' : 'neutral'}>
                        {r.relation_type}
                      </Badge>
                    </TD>
                    <TD className="font-mono text-xs">{r.target_collection_name}</TD>
                    <TD>
                      <Badge tone={ON_DELETE_TONE[r.relation_on_delete]} dot>
                        {r.relation_on_delete}
                      </Badge>
                    </TD>
                    <TD className="text-muted-foreground">{r.relation_display_field ?? '—'}</TD>
                    <TD className="font-mono text-xs text-muted-foreground">
                      {r.junction_table
                        ? `table ${r.junction_table}`
                        : `column ${r.sql_column_name}`}
                    </TD>
                    <TD className="text-right">
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Delete ${r.collection_name}.${r.name}`}
                        className="text-muted-foreground hover:text-destructive"
                        onClick={() => setDeleting(r)}
                      >
                        <Trash2 aria-hidden="true" />
                      </Button>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
      )}

      <RelationDialog
        projectId={projectId}
        open={createOpen}
        onOpenChange={onCreateOpenChange}
        collections={collections}
        defaultSource={collection}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete relation"
        description={
          deleting?.junction_table
            ? `Drops the junction table ${deleting.junction_table} and every link it holds.`
            : `Drops the column ${deleting?.sql_column_name ?? ''} of ${deleting?.collection_name ?? ''} and its foreign key. The links are lost.`
        }
        confirmLabel="Delete relation"
        pending={del.isPending}
        onConfirm={() => deleting && del.mutate(deleting, { onSettled: () => setDeleting(null) })}
      />
    </>
  );
}

export function RelationsSkeleton() {
  return (
    <PageSkeleton label="Loading relations" titleWidth="w-52">
      <Skeleton className="h-96 rounded-xl" />
    </PageSkeleton>
  );
}
