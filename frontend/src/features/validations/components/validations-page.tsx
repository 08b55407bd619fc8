import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Database, ListChecks, Pencil, Plus, Trash2 } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { FieldTypeIcon } from '@/components/ui/field-type-icon';
import { Select } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { Collection, FieldDef } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { useDeleteRule, useToggleRule } from '../api/validation-mutations';
import { ruleTypesQueryOptions, rulesQueryOptions } from '../api/validations-query';
import { formatConfigValue, renderMessage, type ValidationRule } from '../types';
import { RuleDialog } from './rule-dialog';
import { TryPayloadPanel } from './try-payload-panel';

interface ValidationsPageProps {
  projectId: string;
  collections: Collection[];
  collection: Collection | undefined;
  fields: FieldDef[] | undefined;
  field: string | undefined;
  onCollectionChange: (collection: string) => void;
  onFieldChange: (field: string) => void;
}

/** Fields that can carry rules: the admin's own, not deleted. */
export function ruleFields(fields: FieldDef[] | undefined): FieldDef[] {
  return (fields ?? []).filter((f) => !f.is_system && !f.is_deleted);
}

export function ValidationsPage({
  projectId,
  collections,
  collection,
  fields,
  field,
  onCollectionChange,
  onFieldChange,
}: ValidationsPageProps) {
  const visible = collections.filter((c) => !c.is_system);
  const list = ruleFields(fields);
  const current = list.find((f) => f.name === field) ?? list[0];

  return (
    <>
      <PageHeader
        title="Validation rules"
        description="Rules every create and update must pass, per field. Failing writes get a 422 with one error per broken rule."
      />
      {!collection ? (
        <EmptyState
          icon={Database}
          title="No collections yet"
          description="Rules belong to fields. Create a collection in the Schema module first."
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
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-[15rem_1fr]">
          <aside className="space-y-4">
            <div className="space-y-1.5">
              <Label htmlFor="validations-collection">Collection</Label>
              <Select
                id="validations-collection"
                value={collection.name}
                onChange={(e) => onCollectionChange(e.target.value)}
              >
                {visible.map((c) => (
                  <option key={c.id} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </Select>
            </div>
            <nav aria-label="Fields" className="space-y-0.5">
              <p className="px-2 pb-1 text-xs font-medium text-muted-foreground uppercase">
                Fields
              </p>
              {!fields ? (
                <Skeleton className="h-24" />
              ) : list.length === 0 ? (
                <p className="px-2 text-sm text-muted-foreground">No fields yet.</p>
              ) : (
                list.map((f) => (
                  <button
                    key={f.id}
                    type="button"
                    aria-current={current?.name === f.name ? 'page' : undefined}
                    onClick={() => onFieldChange(f.name)}
                    className={cn(
                      'flex w-full cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm transition-colors focus-visible:outline-2 focus-visible:outline-ring',
                      current?.name === f.name
                        ? 'bg-accent font-medium text-accent-foreground'
                        : 'text-muted-foreground hover:bg-muted hover:text-foreground',
                    )}
                  >
                    <FieldTypeIcon type={f.field_type} className="size-4 shrink-0" />
                    <span className="min-w-0 flex-1 truncate font-mono text-xs">{f.name}</span>
                    <span className="text-[11px]">{f.field_type}</span>
                  </button>
                ))
              )}
            </nav>
          </aside>
          <div className="min-w-0 space-y-6">
            {current ? (
              <FieldRules
                key={`${collection.name}.${current.name}`}
                projectId={projectId}
                collection={collection.name}
                field={current}
              />
            ) : (
              fields && (
                <EmptyState
                  icon={ListChecks}
                  title="No fields to validate"
                  description={`Add fields to “${collection.name}” in the Schema module.`}
                />
              )
            )}
            <TryPayloadPanel
              key={collection.name}
              projectId={projectId}
              collection={collection.name}
              fields={list}
            />
          </div>
        </div>
      )}
    </>
  );
}

function FieldRules({
  projectId,
  collection,
  field,
}: {
  projectId: string;
  collection: string;
  field: FieldDef;
}) {
  const rules = useQuery(rulesQueryOptions(projectId, collection, field.name));
  const ruleTypes = useQuery(ruleTypesQueryOptions(projectId));
  const [editing, setEditing] = useState<ValidationRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ValidationRule | null>(null);
  const toggle = useToggleRule(projectId);
  const del = useDeleteRule(projectId);
  const types = ruleTypes.data ?? [];
  const applicable = types.filter((t) => t.applies_to.includes(field.field_type));
  const sorted = [...(rules.data ?? [])].sort((a, b) => a.priority - b.priority);

  return (
    <Card className="overflow-hidden">
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            <FieldTypeIcon type={field.field_type} className="size-4 text-primary" />
            <span className="font-mono">
              {collection}.{field.name}
            </span>
            <Badge>{field.field_type}</Badge>
            {field.is_required && <Badge tone="accent">required</Badge>}
          </span>
        }
        description={
          ruleTypes.data
            ? applicable.length > 0
              ? `${applicable.length} rule types apply to ${field.field_type} fields. Lower priority runs first.`
              : `No rule types apply to ${field.field_type} fields.`
            : undefined
        }
        actions={
          <Button
            onClick={() => setEditing('new')}
            disabled={!ruleTypes.data || applicable.length === 0}
          >
            <Plus aria-hidden="true" />
            Add rule
          </Button>
        }
      />
      {rules.isError ? (
        <div className="p-4">
          <ProblemAlert error={rules.error} />
        </div>
      ) : !rules.data ? (
        <div className="space-y-2 p-4">
          <Skeleton className="h-8" />
          <Skeleton className="h-8" />
        </div>
      ) : sorted.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-muted-foreground">
          No rules on <code className="font-mono">{field.name}</code> yet. Any value of type{' '}
          {field.field_type} is accepted.
        </p>
      ) : (
        <Table aria-label={`Rules of ${field.name}`}>
          <THead>
            <tr>
              <TH>Rule</TH>
              <TH>Config</TH>
              <TH>Message</TH>
              <TH className="text-right">Priority</TH>
              <TH>Active</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {sorted.map((r) => {
              const type = types.find((t) => t.type === r.rule_type);
              return (
                <TR
                  key={r.id}
                  data-testid="rule-row"
                  data-rule-type={r.rule_type}
                  className={cn(!r.is_active && 'opacity-60')}
                >
                  <TD>
                    <Badge tone="accent">{r.rule_type}</Badge>
                  </TD>
                  <TD>
                    <div className="flex flex-wrap gap-1">
                      {Object.keys(r.config).length === 0 ? (
                        <span className="text-muted-foreground">—</span>
                      ) : (
                        Object.entries(r.config).map(([k, v]) => (
                          <code
                            key={k}
                            className="rounded bg-muted px-1.5 py-0.5 font-mono text-[11px]"
                          >
                            {k}: {formatConfigValue(v)}
                          </code>
                        ))
                      )}
                    </div>
                  </TD>
                  <TD className="max-w-[20rem]">
                    {r.error_message ? (
                      <span>{r.error_message}</span>
                    ) : (
                      <span className="text-muted-foreground">
                        {type ? renderMessage(type.default_message, r.config) : 'Default'}{' '}
                        <span className="text-[11px]">(default)</span>
                      </span>
                    )}
                  </TD>
                  <TD className="text-right tabular-nums">{r.priority}</TD>
                  <TD>
                    <Switch
                      id={`rule-active-${r.id}`}
                      aria-label={`Active: ${r.rule_type}`}
                      checked={r.is_active}
                      disabled={toggle.isPending}
                      onCheckedChange={() => toggle.mutate(r)}
                    />
                  </TD>
                  <TD>
                    <div className="flex justify-end gap-1">
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Edit ${r.rule_type}`}
                        onClick={() => setEditing(r)}
                        disabled={!ruleTypes.data}
                      >
                        <Pencil aria-hidden="true" />
                      </Button>
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Delete ${r.rule_type}`}
                        className="text-muted-foreground hover:text-destructive"
                        onClick={() => setDeleting(r)}
                      >
                        <Trash2 aria-hidden="true" />
                      </Button>
                    </div>
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
      <RuleDialog
        projectId={projectId}
        collection={collection}
        field={field.name}
        fieldType={field.field_type}
        ruleTypes={types}
        rule={editing}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete rule"
        description={`Writes to ${field.name} stop being checked by ${deleting?.rule_type ?? ''}.`}
        confirmLabel="Delete rule"
        pending={del.isPending}
        onConfirm={() => deleting && del.mutate(deleting, { onSettled: () => setDeleting(null) })}
      />
    </Card>
  );
}

export function ValidationsSkeleton() {
  return (
    <PageSkeleton label="Loading validation rules" titleWidth="w-52">
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[15rem_1fr]">
        <Skeleton className="h-64 rounded-xl" />
        <Skeleton className="h-72 rounded-xl" />
      </div>
    </PageSkeleton>
  );
}
