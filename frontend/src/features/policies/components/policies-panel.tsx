import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Database, Pencil, Plus, ShieldCheck, Trash2 } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { PolicyActionEffectCells, PolicyNameCell } from '@/components/policy-editor/policy-cells';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { cn } from '@/lib/utils';
import type { Collection, FieldDef } from '@/lib/schema-meta';
import { useDeletePolicy, useTogglePolicy } from '../api/policy-mutations';
import { policiesQueryOptions } from '../api/policies-query';
import { POLICY_ACTIONS, splitList, type Policy } from '../types';
import { recordBuilderFields } from '@/components/condition-builder/condition-builder';
import { ExplainPanel } from './explain-panel';
import { PolicyDialog } from './policy-dialog';

interface PoliciesPanelProps {
  projectId: string;
  collections: Collection[];
  selected: string | undefined;
  fields: FieldDef[] | undefined;
  onSelect: (collection: string) => void;
}

export function PoliciesPanel({
  projectId,
  collections,
  selected,
  fields,
  onSelect,
}: PoliciesPanelProps) {
  const visible = collections.filter((c) => !c.is_system);
  const current = visible.find((c) => c.name === selected) ?? visible[0];

  return (
    <>
      <PageHeader
        title="Policies"
        description="Row-level rules for the data API. With no policies, only admins and API keys reach a collection; app users and anonymous visitors need an allow policy."
      />
      {visible.length === 0 ? (
        <EmptyState
          icon={Database}
          title="No collections yet"
          description="Policies belong to a collection. Create one in the Schema module first."
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
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-[12rem_1fr]">
          <nav aria-label="Collections" className="space-y-1">
            <p className="px-2 pb-1 text-xs font-medium text-muted-foreground uppercase">
              Collections
            </p>
            {visible.map((c) => (
              <button
                key={c.id}
                type="button"
                aria-current={current?.name === c.name ? 'page' : undefined}
                onClick={() => onSelect(c.name)}
                className={cn(
                  'flex w-full cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm transition-colors',
                  current?.name === c.name
                    ? 'bg-accent font-medium text-accent-foreground'
                    : 'text-muted-foreground hover:bg-muted hover:text-foreground',
                )}
              >
                <Database className="size-4 shrink-0" aria-hidden="true" />
                <span className="truncate">{c.name}</span>
              </button>
            ))}
          </nav>
          {current && (
            <CollectionPolicies
              key={current.name}
              projectId={projectId}
              collection={current.name}
              fields={fields}
            />
          )}
        </div>
      )}
    </>
  );
}

function CollectionPolicies({
  projectId,
  collection,
  fields,
}: {
  projectId: string;
  collection: string;
  fields: FieldDef[] | undefined;
}) {
  const policies = useQuery(policiesQueryOptions(projectId, collection));
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Policy | null>(null);
  const toggle = useTogglePolicy(projectId, collection);
  const del = useDeletePolicy(projectId, collection);

  const builderFields = recordBuilderFields(fields ?? []);
  const list = [...(policies.data ?? [])].sort(
    (a, b) =>
      POLICY_ACTIONS.indexOf(a.action) - POLICY_ACTIONS.indexOf(b.action) ||
      b.priority - a.priority ||
      a.name.localeCompare(b.name),
  );

  const newButton = (
    <Button onClick={() => setEditing('new')} disabled={!fields}>
      <Plus aria-hidden="true" />
      New policy
    </Button>
  );

  return (
    <div className="min-w-0 space-y-6">
      <Card className="overflow-hidden">
        <CardHeader
          title={
            <span className="flex items-center gap-2">
              <ShieldCheck className="size-4 text-primary" aria-hidden="true" />
              {collection}
            </span>
          }
          description="Higher priority runs first; the first policy that decides a row wins."
          actions={newButton}
        />
        {policies.isError ? (
          <div className="p-4">
            <ProblemAlert error={policies.error} />
          </div>
        ) : !policies.data ? (
          <div className="space-y-2 p-4">
            <Skeleton className="h-8" />
            <Skeleton className="h-8" />
          </div>
        ) : list.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-muted-foreground">
            No policies: only admins and API keys can use “{collection}”.
          </p>
        ) : (
          <Table aria-label={`Policies of ${collection}`}>
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Action</TH>
                <TH>Effect</TH>
                <TH>Principals</TH>
                <TH className="hidden 2xl:table-cell">Roles</TH>
                <TH className="text-right">Priority</TH>
                <TH>Active</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </tr>
            </THead>
            <TBody>
              {list.map((p) => (
                <TR
                  key={p.id}
                  data-testid="policy-row"
                  data-policy-name={p.name}
                  className={cn(!p.is_active && 'opacity-60')}
                >
                  <PolicyNameCell
                    name={p.name}
                    condition={p.condition === null ? null : (p.condition_json ?? null)}
                  />
                  <PolicyActionEffectCells action={p.action} effect={p.effect} />
                  <TD>
                    <div className="flex flex-wrap gap-1">
                      {splitList(p.allowed_principals).map((x) => (
                        <code
                          key={x}
                          className="rounded bg-muted px-1.5 py-0.5 font-mono text-[11px]"
                        >
                          {x}
                        </code>
                      ))}
                    </div>
                  </TD>
                  <TD className="hidden text-muted-foreground 2xl:table-cell">
                    {splitList(p.allowed_roles).join(', ') || 'any'}
                  </TD>
                  <TD className="text-right tabular-nums">{p.priority}</TD>
                  <TD>
                    <Switch
                      id={`policy-active-${p.id}`}
                      aria-label={`Active: ${p.name}`}
                      checked={p.is_active}
                      disabled={toggle.isPending}
                      onCheckedChange={() => toggle.mutate(p)}
                    />
                  </TD>
                  <TD>
                    <div className="flex justify-end gap-1">
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Edit ${p.name}`}
                        onClick={() => setEditing(p)}
                        disabled={!fields}
                      >
                        <Pencil aria-hidden="true" />
                      </Button>
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Delete ${p.name}`}
                        className="text-muted-foreground hover:text-destructive"
                        onClick={() => setDeleting(p)}
                      >
                        <Trash2 aria-hidden="true" />
                      </Button>
                    </div>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      <ExplainPanel projectId={projectId} collection={collection} />

      <PolicyDialog
        projectId={projectId}
        collection={collection}
        fields={builderFields}
        policy={editing}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete policy"
        description={`“${deleting?.name ?? ''}” stops applying immediately. Requests it allowed may be denied.`}
        confirmLabel="Delete policy"
        pending={del.isPending}
        onConfirm={() => deleting && del.mutate(deleting, { onSettled: () => setDeleting(null) })}
      />
    </div>
  );
}

export function PoliciesSkeleton() {
  return (
    <PageSkeleton label="Loading policies" titleWidth="w-40">
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[12rem_1fr]">
        <Skeleton className="h-48 rounded-xl" />
        <Skeleton className="h-72 rounded-xl" />
      </div>
    </PageSkeleton>
  );
}
