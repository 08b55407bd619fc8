import { useMemo, useState } from 'react';
import { Eye, History, Pencil, Plus, RotateCcw, Trash2 } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { Collection } from '@/lib/schema-meta';
import { cn, formatDateTime } from '@/lib/utils';
import { useDeleteView, useRollbackView } from '../api/view-mutations';
import { usePreview, useViews, useViewVersions } from '../api/views-query';
import type { View, ViewsSearch } from '../types';
import { PreviewPanel } from './preview-panel';
import { ViewBuilder } from './view-builder';

interface ViewsPageProps {
  projectId: string;
  collections: Collection[];
  search: ViewsSearch;
  onSearchChange: (next: Partial<ViewsSearch>) => void;
  /** Developers and up change views; viewers read and run them. */
  canEdit: boolean;
}

function definitionBody(v: View): Record<string, unknown> {
  return {
    base_collection_id: v.base_collection_id,
    projection: v.projection,
    joins: v.joins,
    filters: v.filters,
    sorts: v.sorts,
    group_by: v.group_by,
    aggregates: v.aggregates,
    having: v.having,
    params_schema: v.params_schema,
    default_limit: v.default_limit,
    max_limit: v.max_limit,
  };
}

function ViewDetail({
  projectId,
  view,
  canEdit,
  onEdit,
  onDelete,
}: {
  projectId: string;
  view: View;
  canEdit: boolean;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const body = useMemo(() => definitionBody(view), [view]);
  const preview = usePreview(projectId, body);
  const versions = useViewVersions(projectId, view.name);
  const rollback = useRollbackView(projectId);
  const [restoring, setRestoring] = useState<number | null>(null);
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const curl = `curl -X POST '${origin}/api/projects/${projectId}/views/${view.name}/execute' \\\n  -H 'X-API-Key: <key>' -H 'Content-Type: application/json' -d '{"limit": 20}'\n\ncurl '${origin}/api/projects/${projectId}/data/${view.name}?limit=20' -H 'X-API-Key: <key>'`;
  return (
    <div className="space-y-4">
      <Card>
        <CardHeader
          title={
            <span className="flex items-center gap-2">
              <span className="font-mono">{view.name}</span>
              <Badge tone="accent">v{view.version}</Badge>
            </span>
          }
          description={`${view.display_name} · base ${view.base_collection ?? '?'}${view.joins.length ? ` · joins ${view.joins.map((j) => `${j.relation} (${j.type})`).join(', ')}` : ''}`}
          actions={
            canEdit && (
              <div className="flex gap-2">
                <Button variant="outline" size="sm" onClick={onEdit}>
                  <Pencil className="size-4" /> Edit
                </Button>
                <Button variant="outline" size="sm" onClick={onDelete}>
                  <Trash2 className="size-4" /> Delete
                </Button>
              </div>
            )
          }
        />
        <CardContent>
          <PreviewPanel result={preview.data} error={preview.error} loading={preview.isFetching} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader title="Use it" description="Admins, API keys and app users, under policies" />
        <CardContent>
          <CodeBlock code={curl} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader
          title={
            <span className="flex items-center gap-2">
              <History className="size-4" /> Version history
            </span>
          }
        />
        <CardContent>
          <Table aria-label="Versions">
            <THead>
              <TR>
                <TH>Version</TH>
                <TH>Saved</TH>
                <TH>Definition</TH>
                <TH />
              </TR>
            </THead>
            <TBody>
              {(versions.data ?? []).map((v) => (
                <TR key={v.id}>
                  <TD>
                    v{v.version}
                    {v.version === view.version && (
                      <Badge tone="success" className="ml-2">
                        current
                      </Badge>
                    )}
                  </TD>
                  <TD className="text-xs text-muted-foreground">{formatDateTime(v.created_at)}</TD>
                  <TD className="max-w-md truncate font-mono text-xs" title={JSON.stringify(v)}>
                    {(v.projection ?? ['*']).join(', ')}
                    {v.joins.length > 0 && ` ⋈ ${v.joins.map((j) => j.relation).join(', ')}`}
                    {v.aggregates.length > 0 &&
                      ` | ${v.aggregates.map((a) => `${a.fn}(${a.field ?? '*'})`).join(', ')}`}
                  </TD>
                  <TD>
                    {canEdit && v.version !== view.version && (
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Roll back to version ${v.version}`}
                        onClick={() => setRestoring(v.version)}
                      >
                        <RotateCcw className="size-4" /> Roll back
                      </Button>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </CardContent>
      </Card>
      <ConfirmDialog
        open={restoring !== null}
        onOpenChange={(open) => !open && setRestoring(null)}
        title={`Roll back to version ${restoring ?? ''}?`}
        description="Its definition is written back as a new version; nothing is lost."
        confirmLabel="Roll back"
        pending={rollback.isPending}
        onConfirm={() =>
          restoring !== null &&
          rollback.mutate(
            { name: view.name, version: restoring },
            {
              onSuccess: () => {
                setRestoring(null);
                void versions.refetch();
              },
            },
          )
        }
      />
    </div>
  );
}

export function ViewsPage({
  projectId,
  collections,
  search,
  onSearchChange,
  canEdit,
}: ViewsPageProps) {
  const { data: views } = useViews(projectId);
  const [editing, setEditing] = useState<{ view: View | null } | null>(null);
  const [deleting, setDeleting] = useState<View | null>(null);
  const del = useDeleteView(projectId);
  const selected = views.find((v) => v.name === search.view) ?? null;

  return (
    <div>
      <PageHeader
        title="Views"
        description="Saved, versioned queries with joins and aggregates, readable at /data/{view} under the policies of every collection involved."
        actions={
          canEdit && (
            <Button onClick={() => setEditing({ view: null })}>
              <Plus className="size-4" /> New view
            </Button>
          )
        }
      />
      <div className="grid gap-4 lg:grid-cols-[16rem_minmax(0,1fr)]">
        <nav aria-label="Views list" className="space-y-1">
          {views.length === 0 && <p className="text-sm text-muted-foreground">No views yet.</p>}
          {views.map((v) => (
            <button
              key={v.id}
              type="button"
              onClick={() => {
                setEditing(null);
                onSearchChange({ view: v.name });
              }}
              aria-current={v.name === selected?.name ? 'true' : undefined}
              className={cn(
                'flex w-full items-center justify-between rounded-md px-3 py-2 text-left text-sm hover:bg-muted focus-visible:outline-2 focus-visible:outline-ring',
                v.name === selected?.name && 'bg-muted font-medium',
              )}
            >
              <span className="truncate font-mono">{v.name}</span>
              <Badge tone="neutral">v{v.version}</Badge>
            </button>
          ))}
        </nav>
        <div className="min-w-0">
          {editing ? (
            <ViewBuilder
              key={editing.view?.id ?? 'new'}
              projectId={projectId}
              collections={collections}
              view={editing.view}
              onCancel={() => setEditing(null)}
              onSaved={(v) => {
                setEditing(null);
                onSearchChange({ view: v.name });
              }}
            />
          ) : selected ? (
            <ViewDetail
              projectId={projectId}
              view={selected}
              canEdit={canEdit}
              onEdit={() => setEditing({ view: selected })}
              onDelete={() => setDeleting(selected)}
            />
          ) : (
            <EmptyState
              icon={Eye}
              title={views.length ? 'Pick a view' : 'No views yet'}
              description="Build one visually: a base collection, joins along its relations, filters, group by and aggregates, with the SQL and a live preview."
              action={
                canEdit && (
                  <Button onClick={() => setEditing({ view: null })}>
                    <Plus className="size-4" /> New view
                  </Button>
                )
              }
            />
          )}
        </div>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete view ${deleting?.name ?? ''}?`}
        description="The view stops answering; its name becomes free."
        confirmLabel="Delete"
        destructive
        pending={del.isPending}
        onConfirm={() =>
          deleting &&
          del.mutate(deleting, {
            onSuccess: () => {
              setDeleting(null);
              onSearchChange({ view: undefined });
            },
          })
        }
      />
    </div>
  );
}

export function ViewsSkeleton() {
  return (
    <PageSkeleton label="Loading views" titleWidth="w-28">
      <Skeleton className="h-64 rounded-xl" />
    </PageSkeleton>
  );
}
