import { AppError } from '../common/errors/app-error';
import type { CollectionMeta, FieldMeta, RelationKind } from '../schema-engine/catalog.types';
import type { FieldTypeDefinition } from '../schema-engine/field-types/field-type';
import { getFieldType } from '../schema-engine/field-types/registry';
import { quoteIdent, quoteQualified } from '../schema-engine/identifiers';
import { compileFilter } from './compile-filter';
import { resolveRelation } from './expand';
import {
  resolveColumn,
  visibleColumns,
  type CatalogLookup,
  type ResolvedColumn,
} from './field-resolver';
import { parseJsonFilter, type FilterAst } from './filter';
import { queryError, unknownField } from './query-errors';
import type { ReadableFields } from './readable';
import { outputKey } from './serialize-row';
import { SqlParams, type CompiledQuery } from './sql-params';
import {
  MAX_VIEW_AGGREGATES,
  MAX_VIEW_COLUMNS,
  MAX_VIEW_GROUP_BY,
  MAX_VIEW_JOINS,
  MAX_VIEW_PARAMS,
  MAX_VIEW_SORTS,
  VIEW_AGGREGATE_FNS,
  VIEW_JOIN_TYPES,
  VIEW_LIMIT_CAP,
  VIEW_PARAM_TYPES,
  ViewDefinitionErrors,
  identifierError,
  paramRef,
  templateParams,
  toFilterTemplate,
  type FilterTemplate,
  type ViewAggregate,
  type ViewDefinition,
  type ViewJoinType,
  type ViewParamSpec,
} from './view-definition';

const BASE_ALIAS = 't0';
const ROW_ID = '__rowid';
const TOTAL = '__total';
const PRESENT = '__present';
const NUMERIC_TYPES: ReadonlySet<string> = new Set(['int', 'float', 'decimal']);
const UNORDERED_TYPES: ReadonlySet<string> = new Set(['json', 'bool']);

/** A collection a view reads: the base (`t0`) or a join (`t1`…), with its access path. */
export interface ViewSource {
  alias: string;
  collection: CollectionMeta;
  /** null for the base; the join's relation path otherwise (`category`, `category.parent`). */
  path: string | null;
}

export interface PlannedJoin extends ViewSource {
  path: string;
  kind: RelationKind;
  type: ViewJoinType;
  from: ViewSource;
  /** many_to_one: FK on `from`; one_to_many: FK on the target. */
  fkColumn: string;
  junction?: { table: string; sourceColumn: string; targetColumn: string; alias: string };
  /** The relation field whose value the join follows, where it is stored (must be readable). */
  relationField: { source: ViewSource; name: string };
}

/** A column of a view's answer. `column` carries the name and type filters and serializers use. */
export interface ViewColumn {
  name: string;
  kind: 'field' | 'aggregate';
  /** SQL of the value inside the view's SELECT (built from the catalog, never from input). */
  sql: string;
  column: ResolvedColumn;
  source: ViewSource | null;
  fieldName: string | null;
  aggregate?: ViewAggregate;
  /** From an implicit `*` projection: left out (not refused) for a caller who cannot read it. */
  implicit: boolean;
}

interface SourceRef {
  sql: string;
  column: ResolvedColumn;
  source: ViewSource;
  fieldName: string | null;
  outputName: string;
}

/** A definition checked against the catalog: everything the compiler needs, no SQL yet. */
export interface ViewPlan {
  definition: ViewDefinition;
  base: ViewSource;
  joins: PlannedJoin[];
  columns: ViewColumn[];
  grouped: boolean;
  groupBy: SourceRef[];
  filters: FilterTemplate | null;
  having: FilterTemplate | null;
  /** Fields each source's rows are read by (filters, group_by, aggregates, sorts, join keys). */
  touched: Map<string, Map<string, string>>;
  catalog: CatalogLookup;
}

/** A caller's access to one collection of a view: its list row filter and readable fields. */
export interface ViewAccess {
  rowFilter: FilterAst | null;
  readable: ReadableFields;
}

function typeName(t: FieldTypeDefinition): string {
  return t.name;
}

function syntheticColumn(
  name: string,
  type: FieldTypeDefinition,
  field: FieldMeta | null,
  nullable = true,
): ResolvedColumn {
  return {
    key: name,
    column: name,
    type,
    options: field?.options ?? {},
    field: null,
    nullable,
    isTimestamp: type.name === 'datetime',
  };
}

function aggregateType(fn: ViewAggregate['fn'], field: ResolvedColumn | null): FieldTypeDefinition {
  if (fn === 'count' || fn === 'count_distinct') return getFieldType('int');
  const base = field?.type as FieldTypeDefinition;
  if (fn === 'sum')
    return base.name === 'float' || base.name === 'decimal' ? base : getFieldType('int');
  if (fn === 'avg') return base.name === 'decimal' ? base : getFieldType('float');
  return base;
}

function aggregateSql(fn: ViewAggregate['fn'], arg: string | null): string {
  switch (fn) {
    case 'count':
      return arg ? `count(${arg})` : 'count(*)';
    case 'count_distinct':
      return `count(DISTINCT ${arg as string})`;
    default:
      return `${fn}(${arg as string})`;
  }
}

function refFor(alias: string, column: string): string {
  return `${quoteIdent(alias)}.${quoteIdent(column)}`;
}

/**
 * Checks a definition against the catalog (every name resolved there, hidden fields invisible)
 * and answers the plan; every problem is one `{field, rule, message}` of one 400.
 */
export function planView(
  def: ViewDefinition,
  base: CollectionMeta,
  catalog: CatalogLookup,
): ViewPlan {
  const errs = new ViewDefinitionErrors();
  const baseSource: ViewSource = { alias: BASE_ALIAS, collection: base, path: null };
  const joins: PlannedJoin[] = [];
  const touched = new Map<string, Map<string, string>>();
  const touch = (source: ViewSource, fieldName: string | null, at: string) => {
    if (!fieldName) return;
    let set = touched.get(source.alias);
    if (!set) touched.set(source.alias, (set = new Map()));
    if (!set.has(fieldName)) set.set(fieldName, at);
  };

  // Params first: filters and sorts name them.
  const params = def.params_schema ?? {};
  const paramNames = Object.keys(params);
  if (paramNames.length > MAX_VIEW_PARAMS)
    errs.add('params_schema', 'too_many', `At most ${MAX_VIEW_PARAMS} params`);
  for (const name of paramNames) {
    const problem = identifierError(name);
    if (problem)
      errs.add(`params_schema.${name}`, 'invalid_name', `Invalid param name: ${problem}`);
    const spec = params[name] as ViewParamSpec | undefined;
    if (!spec || !(VIEW_PARAM_TYPES as readonly string[]).includes(spec.type))
      errs.add(
        `params_schema.${name}.type`,
        'invalid_type',
        `type must be one of ${VIEW_PARAM_TYPES.join(', ')}`,
      );
  }

  if (def.joins.length > MAX_VIEW_JOINS)
    errs.add('joins', 'too_many', `Too many joins. Maximum is ${MAX_VIEW_JOINS}`);
  def.joins.slice(0, MAX_VIEW_JOINS).forEach((j, i) => {
    const at = `joins[${i}]`;
    if (!(VIEW_JOIN_TYPES as readonly string[]).includes(j.type)) {
      errs.add(`${at}.type`, 'invalid_value', 'type must be left or inner');
      return;
    }
    if (joins.some((p) => p.path === j.relation)) {
      errs.add(`${at}.relation`, 'duplicate', `Relation ${j.relation} is joined twice`);
      return;
    }
    const dot = j.relation.lastIndexOf('.');
    const prefix = dot > 0 ? j.relation.slice(0, dot) : null;
    const from = prefix === null ? baseSource : joins.find((p) => p.path === prefix);
    if (!from) {
      errs.add(`${at}.relation`, 'unknown_relation', `Join ${prefix} before ${j.relation}`);
      return;
    }
    let resolved: ReturnType<typeof resolveRelation>;
    try {
      resolved = resolveRelation(from.collection, j.relation.slice(dot + 1), catalog);
    } catch {
      errs.add(`${at}.relation`, 'unknown_relation', `Unknown relation: ${j.relation}`);
      return;
    }
    const alias = `t${joins.length + 1}`;
    const ownerField =
      resolved.kind === 'one_to_many'
        ? resolved.target.fields.find((f) => f.column === resolved.fkColumn)
        : from.collection.fields.find(
            (f) => f.type === 'relation' && !f.isDeleted && f.name === resolved.name,
          );
    const target: ViewSource = { alias, collection: resolved.target, path: j.relation };
    const planned: PlannedJoin = {
      ...target,
      path: j.relation,
      kind: resolved.kind,
      type: j.type,
      from,
      fkColumn: resolved.fkColumn,
      junction: resolved.junction
        ? {
            table: resolved.junction.table,
            sourceColumn: resolved.junction.sourceColumn,
            targetColumn: resolved.junction.targetColumn,
            alias: `j${joins.length + 1}`,
          }
        : undefined,
      relationField: {
        source: resolved.kind === 'one_to_many' ? target : from,
        name: ownerField?.name ?? resolved.name,
      },
    };
    joins.push(planned);
    touch(planned.relationField.source, planned.relationField.name, `${at}.relation`);
  });

  const resolveSource = (name: string): SourceRef | null => {
    const dot = name.lastIndexOf('.');
    const source = dot > 0 ? joins.find((p) => p.path === name.slice(0, dot)) : baseSource;
    if (!source) return null;
    const column = resolveColumn(source.collection, name.slice(dot + 1), { catalog });
    if (!column) return null;
    const outputName = source.path ? `${source.path}.${outputKey(column)}` : outputKey(column);
    return {
      sql: refFor(source.alias, column.column),
      column: { ...column, key: name },
      source,
      fieldName: column.field?.name ?? null,
      outputName,
    };
  };

  const columns: ViewColumn[] = [];
  const addColumn = (ref: SourceRef, at: string, implicit = false) => {
    if (columns.some((c) => c.name === ref.outputName)) return;
    columns.push({
      name: ref.outputName,
      kind: 'field',
      sql: ref.sql,
      column: {
        ...syntheticColumn(ref.outputName, ref.column.type, ref.column.field),
        field: ref.column.field,
        options: ref.column.options,
      },
      source: ref.source,
      fieldName: ref.fieldName,
      implicit,
    });
    if (!implicit) touch(ref.source, ref.fieldName, at);
  };
  const mustResolve = (name: unknown, at: string): SourceRef | null => {
    if (typeof name !== 'string' || name === '') {
      errs.add(at, 'invalid_value', 'must be a field name');
      return null;
    }
    const ref = resolveSource(name);
    if (!ref) errs.add(at, 'unknown_field', `Unknown field: ${name}`);
    return ref;
  };

  const groupBy: SourceRef[] = [];
  if (def.group_by.length > MAX_VIEW_GROUP_BY)
    errs.add('group_by', 'too_many', `At most ${MAX_VIEW_GROUP_BY} group_by fields`);
  def.group_by.forEach((name, i) => {
    const ref = mustResolve(name, `group_by[${i}]`);
    if (!ref) return;
    if (ref.column.type.name === 'json')
      errs.add(`group_by[${i}]`, 'not_groupable', `Field '${name}' cannot be grouped`);
    if (!groupBy.some((g) => g.sql === ref.sql)) groupBy.push(ref);
    touch(ref.source, ref.fieldName, `group_by[${i}]`);
  });
  const grouped = def.group_by.length > 0 || def.aggregates.length > 0;

  const projected: SourceRef[] = [];
  (def.projection ?? []).forEach((name, i) => {
    const ref = mustResolve(name, `projection[${i}]`);
    if (ref) projected.push(ref);
  });
  const joinFields: { ref: SourceRef; at: string }[] = [];
  def.joins.forEach((j, i) => {
    if (!joins.some((p) => p.path === j.relation)) return;
    j.fields.forEach((f, k) => {
      const ref = mustResolve(`${j.relation}.${f}`, `joins[${i}].fields[${k}]`);
      if (ref) joinFields.push({ ref, at: `joins[${i}].fields[${k}]` });
    });
  });

  if (grouped) {
    const inGroup = (ref: SourceRef) => groupBy.some((g) => g.sql === ref.sql);
    projected.forEach((ref, i) => {
      if (!inGroup(ref))
        errs.add(
          `projection[${i}]`,
          'not_grouped',
          `'${ref.column.key}' must be listed in group_by or aggregated`,
        );
    });
    for (const { ref, at } of joinFields)
      if (!inGroup(ref))
        errs.add(at, 'not_grouped', `'${ref.column.key}' must be listed in group_by or aggregated`);
    for (const ref of projected.length > 0 ? projected : groupBy) addColumn(ref, 'group_by');
  } else {
    if (def.projection === null) {
      for (const c of visibleColumns(base, catalog))
        addColumn(
          {
            sql: refFor(BASE_ALIAS, c.column),
            column: c,
            source: baseSource,
            fieldName: c.field?.name ?? null,
            outputName: outputKey(c),
          },
          'projection',
          true,
        );
    }
    projected.forEach((ref, i) => addColumn(ref, `projection[${i}]`));
    for (const { ref, at } of joinFields) addColumn(ref, at);
  }

  if (def.aggregates.length > MAX_VIEW_AGGREGATES)
    errs.add('aggregates', 'too_many', `At most ${MAX_VIEW_AGGREGATES} aggregates`);
  def.aggregates.forEach((a, i) => {
    const at = `aggregates[${i}]`;
    if (!(VIEW_AGGREGATE_FNS as readonly string[]).includes(a.fn)) {
      errs.add(`${at}.fn`, 'invalid_value', `fn must be one of ${VIEW_AGGREGATE_FNS.join(', ')}`);
      return;
    }
    const problem = identifierError(a.as);
    if (problem) {
      errs.add(`${at}.as`, 'invalid_name', `Invalid alias: ${problem}`);
      return;
    }
    if (columns.some((c) => c.name === a.as)) {
      errs.add(`${at}.as`, 'duplicate', `Column ${a.as} is already in the view`);
      return;
    }
    let ref: SourceRef | null = null;
    if (a.field !== null && a.field !== '*') {
      ref = mustResolve(a.field, `${at}.field`);
      if (!ref) return;
    } else if (a.fn !== 'count') {
      errs.add(`${at}.field`, 'required', `${a.fn} needs a field`);
      return;
    }
    const t = ref ? typeName(ref.column.type) : null;
    if ((a.fn === 'sum' || a.fn === 'avg') && t !== null && !NUMERIC_TYPES.has(t)) {
      errs.add(`${at}.field`, 'not_numeric', `${a.fn} needs a numeric field; '${a.field}' is ${t}`);
      return;
    }
    if ((a.fn === 'min' || a.fn === 'max') && t !== null && UNORDERED_TYPES.has(t)) {
      errs.add(`${at}.field`, 'not_ordered', `${a.fn} cannot be taken over a ${t} field`);
      return;
    }
    if (a.fn === 'count_distinct' && t === 'json') {
      errs.add(`${at}.field`, 'not_comparable', 'count_distinct cannot be taken over a json field');
      return;
    }
    if (ref) touch(ref.source, ref.fieldName, `${at}.field`);
    const type = aggregateType(a.fn, ref?.column ?? null);
    columns.push({
      name: a.as,
      kind: 'aggregate',
      sql: aggregateSql(a.fn, ref?.sql ?? null),
      column: syntheticColumn(
        a.as,
        type,
        ref?.column.field ?? null,
        a.fn !== 'count' && a.fn !== 'count_distinct',
      ),
      source: ref?.source ?? null,
      fieldName: ref?.fieldName ?? null,
      aggregate: a,
      implicit: false,
    });
  });
  if (columns.length > MAX_VIEW_COLUMNS)
    errs.add('projection', 'too_many', `A view returns at most ${MAX_VIEW_COLUMNS} columns`);
  if (columns.length === 0) errs.add('projection', 'empty', 'The view returns no columns');

  const checkParams = (t: FilterTemplate | null, at: string) => {
    for (const name of templateParams(t))
      if (!Object.hasOwn(params, name))
        errs.add(at, 'unknown_param', `Param ${name} is not declared in params_schema`);
  };
  const filters = toFilterTemplate(def.filters, 'filters', errs);
  checkParams(filters, 'filters');
  validateTemplate(
    filters,
    (name) => sourceColumn(resolveSource, name),
    errs,
    (name, at) => {
      const ref = resolveSource(name);
      if (ref) touch(ref.source, ref.fieldName, at);
    },
  );

  const having = toFilterTemplate(def.having, 'having', errs);
  if (having && !grouped) errs.add('having', 'not_grouped', 'having needs group_by or aggregates');
  checkParams(having, 'having');
  const outputs = outputResolver(columns);
  validateTemplate(having, outputs, errs);

  if (def.sorts.length > MAX_VIEW_SORTS)
    errs.add('sorts', 'too_many', `At most ${MAX_VIEW_SORTS} sorts`);
  def.sorts.forEach((s, i) => {
    const at = `sorts[${i}]`;
    if (s.is_param) {
      const p = s.param_name ?? '';
      if (!Object.hasOwn(params, p))
        errs.add(
          `${at}.param_name`,
          'unknown_param',
          `Param ${p} is not declared in params_schema`,
        );
    }
    if (s.desc_is_param) {
      const p = s.desc_param_name ?? '';
      if (!Object.hasOwn(params, p))
        errs.add(
          `${at}.desc_param_name`,
          'unknown_param',
          `Param ${p} is not declared in params_schema`,
        );
    }
    const column = outputs(s.field) ?? lookupOutput(columns, resolveSource, s.field);
    if (!column)
      errs.add(
        `${at}.field`,
        'unknown_field',
        `Sort field must be a column of the view: ${s.field}`,
      );
    else if (column.type.name === 'json')
      errs.add(`${at}.field`, 'not_sortable', `Field '${s.field}' cannot be sorted`);
  });

  const limitProblem = (v: number) => !Number.isSafeInteger(v) || v < 1 || v > VIEW_LIMIT_CAP;
  if (limitProblem(def.default_limit))
    errs.add(
      'default_limit',
      'out_of_range',
      `default_limit must be between 1 and ${VIEW_LIMIT_CAP}`,
    );
  if (limitProblem(def.max_limit))
    errs.add('max_limit', 'out_of_range', `max_limit must be between 1 and ${VIEW_LIMIT_CAP}`);
  else if (def.default_limit > def.max_limit)
    errs.add('default_limit', 'out_of_range', 'default_limit must not exceed max_limit');

  if (!errs.empty) {
    throw AppError.validation(errs.errors[0].message, errs.errors);
  }
  return {
    definition: def,
    base: baseSource,
    joins,
    columns,
    grouped,
    groupBy,
    filters,
    having,
    touched,
    catalog,
  };
}

function sourceColumn(
  resolve: (name: string) => SourceRef | null,
  name: string,
): ResolvedColumn | null {
  return resolve(name)?.column ?? null;
}

/** The view's columns by output name: what having, `/data/{view}` filters and sorts name. */
export function outputResolver(
  columns: readonly ViewColumn[],
): (name: string) => ResolvedColumn | null {
  const byName = new Map(columns.map((c) => [c.name, c.column]));
  return (name) => byName.get(name) ?? null;
}

function lookupOutput(
  columns: readonly ViewColumn[],
  resolve: (name: string) => SourceRef | null,
  name: string,
): ResolvedColumn | null {
  const ref = resolve(name);
  return ref
    ? (columns.find((c) => c.kind === 'field' && c.sql === ref.sql)?.column ?? null)
    : null;
}

/** Checks each leaf: field known, operator allowed by its type, static values parse by type. */
function validateTemplate(
  t: FilterTemplate | null,
  resolve: (name: string) => ResolvedColumn | null,
  errs: ViewDefinitionErrors,
  onLeaf?: (field: string, at: string) => void,
): void {
  if (!t) return;
  if (t.kind === 'not') return validateTemplate(t.child, resolve, errs, onLeaf);
  if (t.kind !== 'leaf') {
    for (const c of t.children) validateTemplate(c, resolve, errs, onLeaf);
    return;
  }
  const column = resolve(t.field);
  if (!column) {
    errs.add(`${t.path}.field`, 'unknown_field', `Unknown field: ${t.field}`);
    return;
  }
  onLeaf?.(t.field, `${t.path}.field`);
  if (!column.type.operators.includes(t.op)) {
    errs.add(
      `${t.path}.op`,
      'operator_not_allowed',
      `Operator '${t.op}' is not allowed on field '${t.field}' (${column.type.name})`,
    );
    return;
  }
  const usesParam = (Array.isArray(t.value) ? t.value : [t.value]).some(
    (v) => paramRef(v) !== null,
  );
  if (usesParam) return;
  try {
    parseJsonFilter({ field: t.field, op: t.op, value: t.value }, PLACEHOLDER, {
      columns: resolve,
    });
  } catch (err) {
    const first = err instanceof AppError ? err.errors?.[0]?.message : undefined;
    errs.add(`${t.path}.value`, 'invalid_value', first ?? `Invalid value for ${t.field}`);
  }
}

/** parseJsonFilter wants a collection; with `columns` given it never looks at it. */
const PLACEHOLDER: CollectionMeta = {
  id: '',
  projectId: '',
  name: '',
  displayName: '',
  schema: '',
  table: '',
  isSystem: false,
  idType: 'bigint',
  fields: [],
};

// ----------------------------------------------------------------------------------------------
// Params

export type ViewParamValues = ReadonlyMap<string, unknown>;

const paramError = (name: string, message: string) =>
  queryError(`params.${name}`, 'invalid_param', `Invalid param ${name}: ${message}`);

function coerceParam(name: string, spec: ViewParamSpec, raw: unknown): unknown {
  switch (spec.type) {
    case 'string':
    case 'date':
    case 'datetime':
    case 'sort_field':
      if (typeof raw !== 'string') throw paramError(name, 'must be a string');
      return raw;
    case 'number':
    case 'integer':
    case 'limit':
    case 'offset': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw paramError(name, 'must be a number');
      if (spec.type !== 'number' && !Number.isSafeInteger(n))
        throw paramError(name, 'must be an integer');
      return n;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw paramError(name, 'must be true or false');
    case 'sort_direction':
      if (
        raw === true ||
        raw === 'desc' ||
        raw === 'DESC' ||
        raw === 'true' ||
        raw === 1 ||
        raw === '1'
      )
        return 'desc';
      if (
        raw === false ||
        raw === 'asc' ||
        raw === 'ASC' ||
        raw === 'false' ||
        raw === 0 ||
        raw === '0'
      )
        return 'asc';
      throw paramError(name, 'must be asc or desc');
    case 'list': {
      const items = typeof raw === 'string' ? raw.split(',') : raw;
      if (!Array.isArray(items) || items.length === 0)
        throw paramError(name, 'must be a non-empty list');
      if (items.some((i) => i === null || typeof i === 'object'))
        throw paramError(name, 'must list strings, numbers or booleans');
      return items;
    }
    default:
      throw paramError(name, 'has an unknown type');
  }
}

/** The params of one run, typed by `params_schema`; unknown names and missing required ones are 400s. */
export function bindViewParams(plan: ViewPlan, given: unknown): Map<string, unknown> {
  const schema = plan.definition.params_schema;
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given)))
    throw queryError('params', 'invalid_value', 'params must be an object');
  const input = (given ?? {}) as Record<string, unknown>;
  const out = new Map<string, unknown>();
  for (const key of Object.keys(input))
    if (!Object.hasOwn(schema, key))
      throw queryError(`params.${key}`, 'unknown_param', `Unknown param: ${key}`);
  for (const [name, spec] of Object.entries(schema)) {
    const raw = Object.hasOwn(input, name) && input[name] !== null ? input[name] : spec.default;
    if (raw === undefined || raw === null) {
      if (spec.required)
        throw queryError(`params.${name}`, 'required', `Param ${name} is required`);
      continue;
    }
    out.set(name, coerceParam(name, spec, raw));
  }
  return out;
}

/**
 * The template with param values put in as JSON values (they become bind parameters when the
 * tree is parsed); a leaf whose optional param is absent is left out, and so is an empty node.
 */
function bindTemplate(t: FilterTemplate | null, values: ViewParamValues): unknown {
  if (!t) return null;
  if (t.kind === 'not') {
    const child = bindTemplate(t.child, values);
    return child === null ? null : { not: child };
  }
  if (t.kind !== 'leaf') {
    const children = t.children.map((c) => bindTemplate(c, values)).filter((c) => c !== null);
    return children.length === 0 ? null : { [t.kind]: children };
  }
  const sub = (v: unknown): { missing: boolean; value: unknown } => {
    const name = paramRef(v);
    if (name === null) return { missing: false, value: v };
    return values.has(name)
      ? { missing: false, value: values.get(name) }
      : { missing: true, value: null };
  };
  if (Array.isArray(t.value)) {
    const items: unknown[] = [];
    for (const v of t.value) {
      const s = sub(v);
      if (s.missing) return null;
      if (Array.isArray(s.value)) items.push(...(s.value as unknown[]));
      else items.push(s.value);
    }
    return { field: t.field, op: t.op, value: items };
  }
  const s = sub(t.value);
  return s.missing ? null : { field: t.field, op: t.op, value: s.value };
}

// ----------------------------------------------------------------------------------------------
// Compilation

export interface ViewSortKey {
  name: string;
  desc: boolean;
}

export interface ViewRunInput {
  /** The caller's access to the base (`base`) and to each join, in `plan.joins` order. */
  access: { base: ViewAccess; joins: readonly ViewAccess[] };
  params?: ViewParamValues;
  limit?: number;
  offset?: number;
  /** A filter over the view's output columns (`/data/{view}?…`), parsed with `outputResolver`. */
  filter?: FilterAst | null;
  /** Overrides the definition's sorts (`/data/{view}?sort=`). */
  sort?: readonly ViewSortKey[] | null;
  /** A subset of the output columns to return. */
  fields?: readonly string[] | null;
}

export interface CompiledView extends CompiledQuery {
  columns: ViewColumn[];
  limit: number;
  offset: number;
}

/**
 * Refuses (403, naming each field) a view that reads a field outside the caller's `read_fields`:
 * in its projection, filters, group_by, aggregates or join keys. Columns of an implicit `*`
 * projection the caller cannot read are left out instead.
 */
function visibleOutputs(plan: ViewPlan, input: ViewRunInput): ViewColumn[] {
  const readableOf = (alias: string): ReadableFields => {
    if (alias === BASE_ALIAS) return input.access.base.readable;
    const i = plan.joins.findIndex((j) => j.alias === alias);
    return input.access.joins[i]?.readable;
  };
  const refused: { field: string; rule: string; message: string }[] = [];
  const pathOf = (alias: string, field: string) => {
    const join = plan.joins.find((j) => j.alias === alias);
    return join ? `${join.path}.${field}` : field;
  };
  for (const [alias, fields] of plan.touched) {
    const readable = readableOf(alias);
    if (!readable) continue;
    for (const [field] of fields)
      if (!readable.has(field))
        refused.push({
          field: pathOf(alias, field),
          rule: 'read_fields',
          message: `You cannot read ${pathOf(alias, field)}`,
        });
  }
  if (refused.length > 0)
    throw new AppError(
      'FORBIDDEN',
      `This view reads fields you cannot read: ${refused.map((r) => r.field).join(', ')}`,
      refused,
    );
  return plan.columns.filter((c) => {
    if (!c.implicit || !c.source || !c.fieldName) return true;
    const readable = readableOf(c.source.alias);
    return !readable || readable.has(c.fieldName);
  });
}

function joinSql(join: PlannedJoin, policy: string | null, schema: string): string {
  const kw = join.type === 'inner' ? 'INNER JOIN' : 'LEFT JOIN';
  const target = `${quoteQualified(schema, join.collection.table)} AS ${quoteIdent(join.alias)}`;
  const extra = policy ? ` AND ${policy}` : '';
  if (join.kind === 'many_to_one')
    return `${kw} ${target} ON ${refFor(join.alias, 'id')} = ${refFor(join.from.alias, join.fkColumn)}${extra}`;
  if (join.kind === 'one_to_many')
    return `${kw} ${target} ON ${refFor(join.alias, join.fkColumn)} = ${refFor(join.from.alias, 'id')}${extra}`;
  const j = join.junction as NonNullable<PlannedJoin['junction']>;
  // The target's policy sits inside the parenthesised join, so a hidden target hides the pair too.
  const pair =
    `(${quoteQualified(schema, j.table)} AS ${quoteIdent(j.alias)} INNER JOIN ${target} ` +
    `ON ${refFor(join.alias, 'id')} = ${refFor(j.alias, j.targetColumn)}${extra})`;
  return `${kw} ${pair} ON ${refFor(j.alias, j.sourceColumn)} = ${refFor(join.from.alias, 'id')}`;
}

/** The effective page: `limit`/`offset` params override the request, capped by `max_limit`. */
function pageOf(plan: ViewPlan, input: ViewRunInput): { limit: number; offset: number } {
  const def = plan.definition;
  let limit = input.limit;
  let offset = input.offset ?? 0;
  for (const [name, spec] of Object.entries(def.params_schema)) {
    const v = input.params?.get(name);
    if (v === undefined) continue;
    if (spec.type === 'limit') limit = v as number;
    if (spec.type === 'offset') offset = v as number;
  }
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0))
    throw queryError('limit', 'out_of_range', 'limit must be a non-negative integer');
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw queryError('offset', 'out_of_range', 'offset must be a non-negative integer');
  const effective = Math.min(limit || def.default_limit, def.max_limit, VIEW_LIMIT_CAP);
  return { limit: effective, offset };
}

function sortKeysOf(plan: ViewPlan, input: ViewRunInput, outputs: ViewColumn[]): ViewSortKey[] {
  if (input.sort && input.sort.length > 0) return [...input.sort];
  const byName = outputResolver(outputs);
  const keys: ViewSortKey[] = [];
  for (const s of plan.definition.sorts) {
    let field = s.field;
    if (s.is_param && s.param_name && input.params?.has(s.param_name))
      field = input.params.get(s.param_name) as string;
    let desc = s.desc;
    if (s.desc_is_param && s.desc_param_name && input.params?.has(s.desc_param_name))
      desc = input.params.get(s.desc_param_name) === 'desc';
    const column = byName(field) ?? outputFor(plan, outputs, field);
    if (!column)
      throw queryError(
        'sort',
        'unknown_field',
        `Sort field must be a column of the view: ${field}`,
      );
    if (column.type.name === 'json')
      throw queryError('sort', 'not_sortable', `Field '${field}' cannot be sorted`);
    keys.push({ name: column.key, desc });
  }
  return keys;
}

/** An output column named by its source (`category` for `category_id`). */
function outputFor(plan: ViewPlan, outputs: ViewColumn[], name: string): ResolvedColumn | null {
  const dot = name.lastIndexOf('.');
  const source: ViewSource | undefined =
    dot > 0 ? plan.joins.find((j) => j.path === name.slice(0, dot)) : plan.base;
  if (!source) return null;
  const column = resolveColumn(source.collection, name.slice(dot + 1), { catalog: plan.catalog });
  if (!column) return null;
  const sql = refFor(source.alias, column.column);
  return outputs.find((c) => c.kind === 'field' && c.sql === sql)?.column ?? null;
}

/** `/data/{view}?sort=-a,b`: output columns only. */
export function parseViewSort(
  raw: string | null | undefined,
  columns: readonly ViewColumn[],
): ViewSortKey[] | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > MAX_VIEW_SORTS)
    throw queryError('sort', 'too_many_keys', `sort takes at most ${MAX_VIEW_SORTS} fields`);
  const byName = outputResolver(columns);
  return parts.map((part) => {
    const name = part.replace(/^[-+]/, '');
    const column = byName(name);
    if (!column) throw unknownField(name);
    if (column.type.name === 'json')
      throw queryError(name, 'not_sortable', `Field '${name}' cannot be sorted`);
    return { name, desc: part.startsWith('-') };
  });
}

/**
 * One statement for one run of a view: the base and every join under the caller's row filter
 * (the base's in WHERE, each join's in its ON, so a left join yields NULLs and an inner join
 * drops the row where the caller may not list the joined one), the view's filters with params
 * bound, GROUP BY/HAVING, then the caller's output filter, the total and one page.
 */
export function compileView(plan: ViewPlan, input: ViewRunInput): CompiledView {
  const outputs = visibleOutputs(plan, input);
  const params = new SqlParams();
  const { catalog } = plan;
  const base = plan.base.collection;
  const schema = base.schema;
  const values = input.params ?? new Map<string, unknown>();

  let selected = outputs;
  if (input.fields && input.fields.length > 0) {
    const byName = new Map(outputs.map((c) => [c.name, c]));
    selected = input.fields.map((f) => {
      const c = byName.get(f);
      if (!c) throw unknownField(f);
      return c;
    });
  }

  const items = outputs.map((c) => `${c.sql} AS ${quoteIdent(c.name)}`);
  if (!plan.grouped) items.push(`${refFor(BASE_ALIAS, 'id')} AS ${quoteIdent(ROW_ID)}`);
  const joinsSql = plan.joins.map((j, i) => {
    const access = input.access.joins[i];
    const policy = access?.rowFilter
      ? compileFilter(access.rowFilter, {
          collection: j.collection,
          params,
          alias: j.alias,
          catalog,
        })
      : null;
    return joinSql(j, policy, schema);
  });

  const sourceRef = (field: string): { sql: string; column: ResolvedColumn } | null => {
    const dot = field.lastIndexOf('.');
    const source = dot > 0 ? plan.joins.find((j) => j.path === field.slice(0, dot)) : plan.base;
    if (!source) return null;
    const column = resolveColumn(source.collection, field.slice(dot + 1), { catalog });
    return column
      ? { sql: refFor(source.alias, column.column), column: { ...column, key: field } }
      : null;
  };
  const sourceColumns = (name: string) => sourceRef(name)?.column ?? null;
  const boundFilters = bindTemplate(plan.filters, values);
  const viewFilter = boundFilters
    ? parseJsonFilter(boundFilters, base, { columns: sourceColumns })
    : null;

  const where: string[] = [];
  const baseFilter = input.access.base.rowFilter;
  if (baseFilter)
    where.push(compileFilter(baseFilter, { collection: base, params, alias: BASE_ALIAS, catalog }));
  if (viewFilter)
    where.push(compileFilter(viewFilter, { collection: base, params, catalog, refOf: sourceRef }));

  let inner = `SELECT ${items.join(', ')} FROM ${quoteQualified(schema, base.table)} AS ${quoteIdent(BASE_ALIAS)}`;
  if (joinsSql.length > 0) inner += ` ${joinsSql.join(' ')}`;
  if (where.length > 0) inner += ` WHERE ${where.join(' AND ')}`;
  if (plan.groupBy.length > 0) inner += ` GROUP BY ${plan.groupBy.map((g) => g.sql).join(', ')}`;
  const boundHaving = bindTemplate(plan.having, values);
  if (boundHaving) {
    const byName = new Map(plan.columns.map((c) => [c.name, c]));
    const havingAst = parseJsonFilter(boundHaving, base, { columns: outputResolver(plan.columns) });
    inner += ` HAVING ${compileFilter(havingAst, {
      collection: base,
      params,
      catalog,
      refOf: (f) => {
        const c = byName.get(f);
        return c ? { sql: c.sql, column: c.column } : null;
      },
    })}`;
  }

  const v = quoteIdent('v');
  const f = quoteIdent('f');
  let filtered = `SELECT * FROM (${inner}) AS ${v}`;
  if (input.filter) {
    const byName = new Map(outputs.map((c) => [c.name, c]));
    filtered += ` WHERE ${compileFilter(input.filter, {
      collection: base,
      params,
      catalog,
      refOf: (name) => {
        const c = byName.get(name);
        return c ? { sql: `${v}.${quoteIdent(c.name)}`, column: c.column } : null;
      },
    })}`;
  }

  const sortKeys = sortKeysOf(plan, input, outputs);
  const order = sortKeys.map((k) => `${quoteIdent(k.name)} ${k.desc ? 'DESC' : 'ASC'}`);
  // A total order, so pages never overlap: the base row id, or the group.
  if (!plan.grouped) order.push(`${quoteIdent(ROW_ID)} ASC`);
  else
    for (const c of outputs)
      if (
        c.kind === 'field' &&
        c.column.type.name !== 'json' &&
        !sortKeys.some((k) => k.name === c.name)
      )
        order.push(`${quoteIdent(c.name)} ASC`);
  const { limit, offset } = pageOf(plan, input);
  let page = `SELECT *, 1 AS ${quoteIdent(PRESENT)} FROM ${f}`;
  if (order.length > 0) page += ` ORDER BY ${order.join(', ')}`;
  page += ` LIMIT ${params.add(limit)}`;
  if (offset > 0) page += ` OFFSET ${params.add(offset)}`;
  const p = quoteIdent('p');
  const c = quoteIdent('c');
  const text =
    `WITH ${f} AS (${filtered}) ` +
    `SELECT ${p}.*, ${c}.${quoteIdent(TOTAL)} FROM (SELECT count(*) AS ${quoteIdent(TOTAL)} FROM ${f}) AS ${c} ` +
    `LEFT JOIN LATERAL (${page}) AS ${p} ON TRUE`;
  return { text, values: params.values, columns: selected, limit, offset };
}

/** Rows of a compiled view → `{data, total}` with every value serialized by its column's type. */
export function finishView(
  rows: readonly Record<string, unknown>[],
  compiled: CompiledView,
): { data: Record<string, unknown>[]; total: number } {
  const total = rows.length > 0 ? Number(rows[0][TOTAL]) : 0;
  const data = rows
    .filter((r) => r[PRESENT] !== null && r[PRESENT] !== undefined)
    .map((row) => {
      const out: Record<string, unknown> = {};
      for (const c of compiled.columns) {
        const value = row[c.name];
        out[c.name] = value === null || value === undefined ? null : c.column.type.serialize(value);
      }
      return out;
    });
  return { data, total };
}

/** The output columns as `GET /views/{name}/meta` and the console describe them. */
export function describeViewColumns(
  plan: ViewPlan,
): { name: string; type: string; kind: 'field' | 'aggregate'; source: string | null }[] {
  return plan.columns.map((c) => ({
    name: c.name,
    type: c.column.type.name,
    kind: c.kind,
    source: c.source ? (c.source.path ?? c.source.collection.name) : null,
  }));
}

/** Every collection a plan reads, base first then each join (for policy decisions). */
export function viewCollections(plan: ViewPlan): CollectionMeta[] {
  return [plan.base.collection, ...plan.joins.map((j) => j.collection)];
}
