import { useMemo, useState } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Plus, Save, Trash2, X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { Input, Select } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import {
  fieldsQueryOptions,
  IDENTIFIER_PATTERN,
  type Collection,
  type FieldDef,
} from '@/lib/schema-meta';
import { useSaveView } from '../api/view-mutations';
import { usePreview } from '../api/views-query';
import {
  AGGREGATE_FNS,
  FILTER_OPS,
  PARAM_TYPES,
  type AggregateFn,
  type FilterLeaf,
  type FilterOp,
  type JoinType,
  type ParamType,
  type View,
  type ViewAggregate,
  type ViewJoin,
  type ViewSort,
} from '../types';
import { PreviewPanel } from './preview-panel';
import { useDebounced } from './use-debounced';

interface ParamRow {
  name: string;
  type: ParamType;
  required: boolean;
  default: string;
}

interface Draft {
  name: string;
  display_name: string;
  base: string;
  projection: string[];
  joins: ViewJoin[];
  filters: FilterLeaf[];
  group_by: string[];
  aggregates: ViewAggregate[];
  sorts: ViewSort[];
  params: ParamRow[];
  max_limit: number;
}

type ListKey = 'joins' | 'filters' | 'aggregates' | 'sorts' | 'params';

function draftOf(view: View | null, collections: Collection[]): Draft {
  if (!view)
    return {
      name: '',
      display_name: '',
      base: collections.find((c) => !c.is_system)?.name ?? '',
      projection: [],
      joins: [],
      filters: [],
      group_by: [],
      aggregates: [],
      sorts: [],
      params: [],
      max_limit: 1000,
    };
  return {
    name: view.name,
    display_name: view.display_name,
    base: view.base_collection ?? '',
    projection: view.projection ?? [],
    joins: view.joins,
    filters: Array.isArray(view.filters) ? (view.filters as FilterLeaf[]) : [],
    group_by: view.group_by,
    aggregates: view.aggregates,
    sorts: view.sorts,
    params: Object.entries(view.params_schema).map(([name, p]) => ({
      name,
      type: p.type,
      required: p.required ?? false,
      default: p.default === undefined || p.default === null ? '' : String(p.default),
    })),
    max_limit: view.max_limit,
  };
}

/** The definition the API takes (create, patch and preview alike). */
function bodyOf(d: Draft): Record<string, unknown> {
  return {
    base_collection: d.base,
    display_name: d.display_name || undefined,
    projection: d.projection.length > 0 ? d.projection : null,
    joins: d.joins,
    filters: d.filters.map((f) => (f.op === 'isnull' ? { ...f, value: f.value !== 'false' } : f)),
    group_by: d.group_by,
    aggregates: d.aggregates.map((a) => ({ ...a, field: a.field || null })),
    sorts: d.sorts.filter((s) => s.field),
    params_schema: Object.fromEntries(
      d.params
        .filter((p) => p.name)
        .map((p) => [
          p.name,
          {
            type: p.type,
            required: p.required,
            ...(p.default !== '' ? { default: p.default } : {}),
          },
        ]),
    ),
    max_limit: d.max_limit,
    default_limit: Math.min(100, d.max_limit),
  };
}

const visible = (f: FieldDef) => !f.is_hidden && !f.is_deleted;
const SYSTEM_COLUMNS = ['id', 'created_at', 'updated_at'];

interface ViewBuilderProps {
  projectId: string;
  collections: Collection[];
  view: View | null;
  onSaved: (view: View) => void;
  onCancel: () => void;
}

/** The visual builder: base, joins along relations, columns, filters, grouping, sorts, params. */
export function ViewBuilder({ projectId, collections, view, onSaved, onCancel }: ViewBuilderProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(view, collections));
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  /** Changes, or removes, item `i` of one of the draft's lists. */
  const patchAt = <K extends ListKey>(key: K, i: number, patch: Partial<Draft[K][number]>) =>
    setDraft((d) => ({
      ...d,
      [key]: (d[key] as Draft[K][number][]).map((x, k) => (k === i ? { ...x, ...patch } : x)),
    }));
  const removeAt = (key: ListKey, i: number) =>
    setDraft((d) => ({ ...d, [key]: (d[key] as unknown[]).filter((_, k) => k !== i) }));
  const save = useSaveView(projectId);
  const isNew = view === null;

  const byId = useMemo(() => new Map(collections.map((c) => [c.id, c])), [collections]);
  const baseFields = useQuery({
    ...fieldsQueryOptions(projectId, draft.base),
    enabled: draft.base !== '',
  }).data;
  const relations = (baseFields ?? []).filter(
    (f) =>
      visible(f) &&
      f.field_type === 'relation' &&
      (f.relation_type === 'many_to_one' || f.relation_type === 'many_to_many'),
  );
  const targetOf = (relation: string) =>
    byId.get(relations.find((r) => r.name === relation)?.relation_target_collection_id ?? '')?.name;
  const joinedFields = useQueries({
    queries: draft.joins.map((j) => ({
      ...fieldsQueryOptions(projectId, targetOf(j.relation) ?? ''),
      enabled: targetOf(j.relation) !== undefined,
    })),
  }).map((q) => q.data ?? []);

  const baseColumns = [
    ...SYSTEM_COLUMNS,
    ...(baseFields ?? [])
      .filter(
        (f) => visible(f) && (f.field_type !== 'relation' || f.relation_type === 'many_to_one'),
      )
      .map((f) => f.name),
  ];
  const joinColumns = draft.joins.flatMap((j, i) => [
    `${j.relation}.id`,
    ...(joinedFields[i] ?? [])
      .filter((f) => visible(f) && f.field_type !== 'relation')
      .map((f) => `${j.relation}.${f.name}`),
  ]);
  const allColumns = [...baseColumns, ...joinColumns];

  const body = useMemo(() => bodyOf(draft), [draft]);
  const debounced = useDebounced(draft.base ? body : null);
  const preview = usePreview(projectId, debounced);
  const outputColumns = preview.data?.columns.map((c) => c.name) ?? [];

  const toggle = (list: string[], item: string) =>
    list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
  const nameError =
    isNew && draft.name && !IDENTIFIER_PATTERN.test(draft.name)
      ? 'Lower-case letters, digits and _; starts with a letter'
      : undefined;

  return (
    <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <Card>
        <CardHeader
          title={isNew ? 'New view' : `Edit ${view.name}`}
          description={
            isNew
              ? 'Readable at /data/{name} once saved'
              : `Saving makes version ${view.version + 1}`
          }
          actions={
            <Button variant="ghost" size="icon" aria-label="Close builder" onClick={onCancel}>
              <X className="size-4" />
            </Button>
          }
        />
        <CardContent className="space-y-5">
          <div className="grid gap-3 sm:grid-cols-2">
            <Field id="view-name" label="Name" error={nameError}>
              <Input
                id="view-name"
                value={draft.name}
                disabled={!isNew}
                onChange={(e) => set({ name: e.target.value })}
                placeholder="posts_by_category"
              />
            </Field>
            <Field id="view-base" label="Base collection">
              <Select
                id="view-base"
                value={draft.base}
                onChange={(e) =>
                  set({
                    base: e.target.value,
                    projection: [],
                    joins: [],
                    filters: [],
                    group_by: [],
                    aggregates: [],
                    sorts: [],
                  })
                }
              >
                {collections.map((c) => (
                  <option key={c.id} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </Select>
            </Field>
          </div>

          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Joins (along relations)</legend>
            {relations.length === 0 && (
              <p className="text-xs text-muted-foreground">This collection has no relations.</p>
            )}
            {relations.map((r) => {
              const index = draft.joins.findIndex((j) => j.relation === r.name);
              const join = index >= 0 ? draft.joins[index] : null;
              const target = byId.get(r.relation_target_collection_id ?? '')?.name ?? '?';
              return (
                <div key={r.id} className="rounded-md border border-border p-2">
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      id={`join-${r.name}`}
                      checked={join !== null}
                      onChange={() =>
                        set({
                          joins: join
                            ? draft.joins.filter((j) => j.relation !== r.name)
                            : [...draft.joins, { relation: r.name, type: 'left', fields: [] }],
                        })
                      }
                    />
                    <Label htmlFor={`join-${r.name}`}>
                      Join <span className="font-mono">{r.name}</span> → {target}
                    </Label>
                    {join && (
                      <Select
                        aria-label={`Join type of ${r.name}`}
                        className="h-8 w-28"
                        value={join.type}
                        onChange={(e) =>
                          set({
                            joins: draft.joins.map((j, i) =>
                              i === index ? { ...j, type: e.target.value as JoinType } : j,
                            ),
                          })
                        }
                      >
                        <option value="left">left</option>
                        <option value="inner">inner</option>
                      </Select>
                    )}
                  </div>
                  {join && (
                    <div className="mt-2 flex flex-wrap gap-3 pl-6 text-sm">
                      {(joinedFields[index] ?? [])
                        .filter(visible)
                        .filter((f) => f.field_type !== 'relation')
                        .map((f) => (
                          <label key={f.id} className="flex items-center gap-1">
                            <input
                              type="checkbox"
                              checked={join.fields.includes(f.name)}
                              onChange={() =>
                                set({
                                  joins: draft.joins.map((j, i) =>
                                    i === index ? { ...j, fields: toggle(j.fields, f.name) } : j,
                                  ),
                                })
                              }
                            />
                            <span className="font-mono">{`${r.name}.${f.name}`}</span>
                          </label>
                        ))}
                    </div>
                  )}
                </div>
              );
            })}
          </fieldset>

          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Columns (none checked = all)</legend>
            <div className="flex flex-wrap gap-3 text-sm">
              {baseColumns.map((c) => (
                <label key={c} className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={draft.projection.includes(c)}
                    onChange={() => set({ projection: toggle(draft.projection, c) })}
                  />
                  <span className="font-mono">{c}</span>
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Filters (AND)</legend>
            {draft.filters.map((f, i) => (
              <div key={i} className="flex flex-wrap items-center gap-2">
                <Select
                  aria-label={`Filter ${i + 1} field`}
                  className="w-44"
                  value={f.field}
                  onChange={(e) => patchAt('filters', i, { field: e.target.value })}
                >
                  {allColumns.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </Select>
                <Select
                  aria-label={`Filter ${i + 1} operator`}
                  className="w-32"
                  value={f.op}
                  onChange={(e) => patchAt('filters', i, { op: e.target.value as FilterOp })}
                >
                  {FILTER_OPS.map((op) => (
                    <option key={op}>{op}</option>
                  ))}
                </Select>
                <Input
                  aria-label={`Filter ${i + 1} value`}
                  className="w-44"
                  placeholder="value or {{param}}"
                  value={String(f.value ?? '')}
                  onChange={(e) => patchAt('filters', i, { value: e.target.value })}
                />
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove filter ${i + 1}`}
                  onClick={() => removeAt('filters', i)}
                >
                  <Trash2 className="size-4" />
                </Button>
              </div>
            ))}
            <Button
              variant="outline"
              size="sm"
              onClick={() =>
                set({
                  filters: [
                    ...draft.filters,
                    { field: allColumns[0] ?? 'id', op: 'eq', value: '' },
                  ],
                })
              }
            >
              <Plus className="size-4" /> Add filter
            </Button>
          </fieldset>

          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Group by</legend>
            <div className="flex flex-wrap gap-3 text-sm">
              {allColumns.map((c) => (
                <label key={c} className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    aria-label={`Group by ${c}`}
                    checked={draft.group_by.includes(c)}
                    onChange={() => set({ group_by: toggle(draft.group_by, c) })}
                  />
                  <span className="font-mono">{c}</span>
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Aggregates</legend>
            {draft.aggregates.map((a, i) => (
              <div key={i} className="flex flex-wrap items-center gap-2">
                <Select
                  aria-label={`Aggregate ${i + 1} function`}
                  className="w-40"
                  value={a.fn}
                  onChange={(e) => patchAt('aggregates', i, { fn: e.target.value as AggregateFn })}
                >
                  {AGGREGATE_FNS.map((fn) => (
                    <option key={fn}>{fn}</option>
                  ))}
                </Select>
                <Select
                  aria-label={`Aggregate ${i + 1} field`}
                  className="w-44"
                  value={a.field ?? ''}
                  onChange={(e) => patchAt('aggregates', i, { field: e.target.value || null })}
                >
                  <option value="">* (rows)</option>
                  {allColumns.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </Select>
                <Input
                  aria-label={`Aggregate ${i + 1} name`}
                  className="w-36"
                  value={a.as}
                  onChange={(e) => patchAt('aggregates', i, { as: e.target.value })}
                />
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove aggregate ${i + 1}`}
                  onClick={() => removeAt('aggregates', i)}
                >
                  <Trash2 className="size-4" />
                </Button>
              </div>
            ))}
            <Button
              variant="outline"
              size="sm"
              onClick={() =>
                set({
                  aggregates: [
                    ...draft.aggregates,
                    { fn: 'count', field: null, as: `agg_${draft.aggregates.length + 1}` },
                  ],
                })
              }
            >
              <Plus className="size-4" /> Add aggregate
            </Button>
          </fieldset>

          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Sort</legend>
            {draft.sorts.map((s, i) => (
              <div key={i} className="flex items-center gap-2">
                <Select
                  aria-label={`Sort ${i + 1} column`}
                  className="w-52"
                  value={s.field}
                  onChange={(e) => patchAt('sorts', i, { field: e.target.value })}
                >
                  {[...new Set([s.field, ...outputColumns])].filter(Boolean).map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </Select>
                <Select
                  aria-label={`Sort ${i + 1} direction`}
                  className="w-28"
                  value={s.desc ? 'desc' : 'asc'}
                  onChange={(e) => patchAt('sorts', i, { desc: e.target.value === 'desc' })}
                >
                  <option value="asc">asc</option>
                  <option value="desc">desc</option>
                </Select>
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove sort ${i + 1}`}
                  onClick={() => removeAt('sorts', i)}
                >
                  <Trash2 className="size-4" />
                </Button>
              </div>
            ))}
            <Button
              variant="outline"
              size="sm"
              disabled={outputColumns.length === 0}
              onClick={() =>
                set({ sorts: [...draft.sorts, { field: outputColumns[0] ?? '', desc: false }] })
              }
            >
              <Plus className="size-4" /> Add sort
            </Button>
          </fieldset>

          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">
              Params (use as {'{{name}}'} in filter values)
            </legend>
            {draft.params.map((p, i) => (
              <div key={i} className="flex flex-wrap items-center gap-2">
                <Input
                  aria-label={`Param ${i + 1} name`}
                  className="w-36"
                  value={p.name}
                  onChange={(e) => patchAt('params', i, { name: e.target.value })}
                />
                <Select
                  aria-label={`Param ${i + 1} type`}
                  className="w-32"
                  value={p.type}
                  onChange={(e) => patchAt('params', i, { type: e.target.value as ParamType })}
                >
                  {PARAM_TYPES.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </Select>
                <Input
                  aria-label={`Param ${i + 1} default`}
                  className="w-32"
                  placeholder="default"
                  value={p.default}
                  onChange={(e) => patchAt('params', i, { default: e.target.value })}
                />
                <label className="flex items-center gap-1 text-sm">
                  <input
                    type="checkbox"
                    checked={p.required}
                    onChange={() =>
                      set({
                        params: draft.params.map((x, k) =>
                          k === i ? { ...x, required: !x.required } : x,
                        ),
                      })
                    }
                  />
                  required
                </label>
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove param ${i + 1}`}
                  onClick={() => removeAt('params', i)}
                >
                  <Trash2 className="size-4" />
                </Button>
              </div>
            ))}
            <Button
              variant="outline"
              size="sm"
              onClick={() =>
                set({
                  params: [
                    ...draft.params,
                    {
                      name: `p${draft.params.length + 1}`,
                      type: 'string',
                      required: false,
                      default: '',
                    },
                  ],
                })
              }
            >
              <Plus className="size-4" /> Add param
            </Button>
          </fieldset>

          <Field id="view-max-limit" label="Max rows per call (max_limit)">
            <Input
              id="view-max-limit"
              type="number"
              min={1}
              max={1000}
              className="w-32"
              value={draft.max_limit}
              onChange={(e) => set({ max_limit: Number(e.target.value) || 1 })}
            />
          </Field>

          {save.error && <ProblemAlert error={save.error} />}
          <div className="flex gap-2">
            <Button
              disabled={!draft.name || !draft.base || Boolean(nameError) || save.isPending}
              onClick={() =>
                save.mutate(
                  { name: draft.name, body, isNew },
                  { onSuccess: (saved) => onSaved(saved) },
                )
              }
            >
              <Save className="size-4" /> {isNew ? 'Save view' : 'Save new version'}
            </Button>
            <Button variant="outline" onClick={onCancel}>
              Cancel
            </Button>
          </div>
        </CardContent>
      </Card>
      <Card className="self-start xl:sticky xl:top-4">
        <CardHeader
          title="Live preview"
          description="Runs as you, under your access; first 20 rows"
        />
        <CardContent>
          <PreviewPanel result={preview.data} error={preview.error} loading={preview.isFetching} />
        </CardContent>
      </Card>
    </div>
  );
}
