import type { CollectionMeta, FieldMeta, RelationKind } from '../schema-engine/catalog.types';
import { quoteIdent, quoteQualified } from '../schema-engine/identifiers';
import { columnRef, compileFilter } from './compile-filter';
import { visibleColumns, type CatalogLookup, type ResolvedColumn } from './field-resolver';
import type { FilterAst } from './filter';
import { queryError } from './query-errors';
import { readableColumns, type ReadableFields } from './readable';
import { createRowSerializer, outputKey, type JsonRecord } from './serialize-row';
import { SqlParams, type CompiledQuery } from './sql-params';

export const MAX_EXPAND_DEPTH = 3;
export const MAX_EXPAND_RELATIONS = 10;
/** Children returned per parent for one-to-many and many-to-many expands. */
export const EXPAND_CHILD_CAP = 100;
/** Expanded records one answer may carry, over every relation and level (DESIGN §8 Limits). */
export const MAX_EXPANDED_RECORDS = 10_000;

const RN = quoteIdent('__rn');
const S = quoteIdent('s');
const ID = quoteIdent('id');
const PARENT = quoteIdent('__parent');

export interface ExpandNode {
  /** The response key: the relation field name, or `<source>_via_<relation>`. */
  name: string;
  kind: RelationKind;
  target: CollectionMeta;
  /** many_to_one: FK column on the parent; one_to_many: FK column on the target. */
  fkColumn: string;
  junction?: { schema: string; table: string; sourceColumn: string; targetColumn: string };
  children: ExpandNode[];
}

export interface ExpandContext {
  catalog: CatalogLookup;
  /** Runs one compiled statement (the caller's connection or transaction). */
  run(query: CompiledQuery): Promise<Record<string, unknown>[]>;
  /** The caller's access to an expanded collection: its row filter (literal false = deny) and readable fields. */
  accessFor(collection: CollectionMeta): ExpandAccess;
  /** Expanded records still allowed in this answer; counted down as levels are fetched. */
  budget?: { remaining: number };
}

export interface ExpandAccess {
  rowFilter: FilterAst | null;
  readable: ReadableFields;
}

const tooManyExpanded = () =>
  queryError(
    'expand',
    'too_many_records',
    `expand would return more than ${MAX_EXPANDED_RECORDS} records in one answer; narrow it or lower limit`,
  );

const unknownRelation = (name: string) =>
  queryError('expand', 'unknown_relation', `Unknown relation: ${name}`);

function isLive(field: FieldMeta): boolean {
  return !field.isDeleted && !field.isHidden;
}

function backReferences(source: CollectionMeta, targetId: string): FieldMeta[] {
  return source.fields.filter(
    (f) =>
      isLive(f) &&
      f.type === 'relation' &&
      f.relation?.kind === 'many_to_one' &&
      f.relation.targetCollectionId === targetId,
  );
}

/** A relation of `collection` by field name or `<source>_via_<relation>` (400 when unknown). */
export function resolveRelation(
  collection: CollectionMeta,
  name: string,
  catalog: CatalogLookup,
): Omit<ExpandNode, 'children'> {
  const field = collection.fields.find(
    (f) =>
      isLive(f) && f.type === 'relation' && f.relation && (f.name === name || f.column === name),
  );
  const relation = field?.relation;
  if (field && relation) {
    const target = catalog.getCollection(relation.targetCollectionId);
    if (!target) throw unknownRelation(name);
    if (relation.kind === 'many_to_one') {
      return { name: field.name, kind: 'many_to_one', target, fkColumn: field.column };
    }
    if (relation.kind === 'many_to_many') {
      const { junctionTable, junctionSourceColumn, junctionTargetColumn } = relation;
      if (!junctionTable || !junctionSourceColumn || !junctionTargetColumn)
        throw unknownRelation(name);
      return {
        name: field.name,
        kind: 'many_to_many',
        target,
        fkColumn: junctionSourceColumn,
        junction: {
          schema: collection.schema,
          table: junctionTable,
          sourceColumn: junctionSourceColumn,
          targetColumn: junctionTargetColumn,
        },
      };
    }
    const backs = backReferences(target, collection.id);
    if (backs.length !== 1) throw unknownRelation(name);
    return { name: field.name, kind: 'one_to_many', target, fkColumn: backs[0].column };
  }
  // `<source_collection>_via_<relation>`: names may themselves contain `_via_`, so try each split.
  let at = name.indexOf('_via_');
  while (at > 0 && catalog.findCollectionByName) {
    const source = catalog.findCollectionByName(name.slice(0, at));
    const relationName = name.slice(at + 5);
    const back = source
      ? backReferences(source, collection.id).find(
          (f) => f.name === relationName || f.column === relationName,
        )
      : undefined;
    if (source && back) return { name, kind: 'one_to_many', target: source, fkColumn: back.column };
    at = name.indexOf('_via_', at + 1);
  }
  throw unknownRelation(name);
}

/** `expand=a,b.c`: a tree of at most 3 levels and 10 relations; unknown or hidden relations are 400s. */
export function parseExpand(
  raw: string | readonly string[] | null | undefined,
  collection: CollectionMeta,
  catalog: CatalogLookup,
): ExpandNode[] {
  if (raw === null || raw === undefined) return [];
  const paths = (typeof raw === 'string' ? raw.split(',') : raw.flatMap((r) => r.split(',')))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const roots: ExpandNode[] = [];
  let count = 0;
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > MAX_EXPAND_DEPTH) {
      throw queryError('expand', 'too_deep', `expand nests at most ${MAX_EXPAND_DEPTH} levels`);
    }
    let level = roots;
    let owner = collection;
    for (const segment of segments) {
      if (segment === '') throw unknownRelation(path);
      const resolved = resolveRelation(owner, segment, catalog);
      let node = level.find((n) => n.name === resolved.name);
      if (!node) {
        count += 1;
        if (count > MAX_EXPAND_RELATIONS) {
          throw queryError(
            'expand',
            'too_many',
            `expand takes at most ${MAX_EXPAND_RELATIONS} relations`,
          );
        }
        node = { ...resolved, children: [] };
        level.push(node);
      }
      level = node.children;
      owner = node.target;
    }
  }
  return roots;
}

/** Fields the parent rows must carry for these expands (many-to-one FKs), to add to `fields=`. */
export function expandRequiredFields(nodes: readonly ExpandNode[]): string[] {
  return nodes.filter((n) => n.kind === 'many_to_one').map((n) => n.fkColumn);
}

/**
 * Each expanded relation must be readable where it is stored: the FK or many-to-many field on its
 * owner, and for a reverse relation the back-reference on the target (else 400 naming expand).
 */
export function assertExpandReadable(
  nodes: readonly ExpandNode[],
  owner: CollectionMeta,
  ownerReadable: ReadableFields,
  readableOf: (collection: CollectionMeta) => ReadableFields,
): void {
  for (const node of nodes) {
    const targetReadable = readableOf(node.target);
    const fieldOf = (c: CollectionMeta, pick: (f: FieldMeta) => boolean) =>
      c.fields.find((f) => isLive(f) && f.type === 'relation' && pick(f));
    const ownField =
      node.kind === 'many_to_one'
        ? fieldOf(owner, (f) => f.column === node.fkColumn)
        : fieldOf(owner, (f) => f.name === node.name);
    const back =
      node.kind === 'one_to_many' ? fieldOf(node.target, (f) => f.column === node.fkColumn) : null;
    if (
      (ownField && ownerReadable && !ownerReadable.has(ownField.name)) ||
      (back && targetReadable && !targetReadable.has(back.name))
    ) {
      throw unknownRelation(node.name);
    }
    assertExpandReadable(node.children, node.target, targetReadable, readableOf);
  }
}

function policyClause(
  node: ExpandNode,
  ctx: ExpandContext,
  params: SqlParams,
  alias: string | null,
): string {
  const policy = ctx.accessFor(node.target).rowFilter;
  return policy
    ? ` AND ${compileFilter(policy, { collection: node.target, params, alias, catalog: ctx.catalog })}`
    : '';
}

function fkKeyOf(collection: CollectionMeta, column: string, catalog: CatalogLookup): string {
  const resolved = visibleColumns(collection, catalog).find((c) => c.column === column);
  return resolved ? outputKey(resolved) : column;
}

/** The columns an expand of `node` returns: the target's readable ones (and the FK it groups by). */
export function expandColumns(node: ExpandNode, ctx: ExpandContext): readonly ResolvedColumn[] {
  return readableColumns(node.target, ctx.catalog, ctx.accessFor(node.target).readable);
}

/**
 * One statement per relation per level; children capped per parent with row_number(), and the
 * whole statement at `limit` rows (the answer's remaining expand budget plus one).
 */
export function compileExpand(
  node: ExpandNode,
  parentKeys: readonly unknown[],
  ctx: ExpandContext,
  limit: number = MAX_EXPANDED_RECORDS + 1,
): CompiledQuery {
  const params = new SqlParams();
  const target = quoteQualified(node.target.schema, node.target.table);
  const columns = expandColumns(node, ctx);
  const keys = params.add([...parentKeys]);
  if (node.kind === 'many_to_one') {
    const list = columns.map((c) => quoteIdent(c.column)).join(', ');
    const text = `SELECT ${list} FROM ${target} WHERE ${quoteIdent('id')} = ANY(${keys})${policyClause(node, ctx, params, null)} LIMIT ${params.add(limit)}`;
    return { text, values: params.values };
  }
  const t = 't';
  const list = columns.map((c) => columnRef(c, t)).join(', ');
  const cap = params.add(EXPAND_CHILD_CAP);
  if (node.kind === 'one_to_many') {
    const fk = `${quoteIdent(t)}.${quoteIdent(node.fkColumn)}`;
    // The FK groups children under parents; it comes back under a private name when unreadable.
    const group = columns.some((c) => c.column === node.fkColumn)
      ? ''
      : `, ${fk} AS ${quoteIdent(node.fkColumn)}`;
    const inner =
      `SELECT ${list}${group}, row_number() OVER (PARTITION BY ${fk} ORDER BY ${quoteIdent(t)}.${quoteIdent('id')}) AS ${RN} ` +
      `FROM ${target} AS ${quoteIdent(t)} WHERE ${fk} = ANY(${keys})${policyClause(node, ctx, params, t)}`;
    const text = `SELECT * FROM (${inner}) AS ${S} WHERE ${S}.${RN} <= ${cap} ORDER BY ${S}.${quoteIdent(node.fkColumn)}, ${S}.${ID} LIMIT ${params.add(limit)}`;
    return { text, values: params.values };
  }
  const junction = node.junction as NonNullable<ExpandNode['junction']>;
  const j = 'j';
  const source = `${quoteIdent(j)}.${quoteIdent(junction.sourceColumn)}`;
  const inner =
    `SELECT ${source} AS ${PARENT}, ${list}, row_number() OVER (PARTITION BY ${source} ORDER BY ${quoteIdent(t)}.${quoteIdent('id')}) AS ${RN} ` +
    `FROM ${quoteQualified(junction.schema, junction.table)} AS ${quoteIdent(j)} ` +
    `JOIN ${target} AS ${quoteIdent(t)} ON ${quoteIdent(t)}.${quoteIdent('id')} = ${quoteIdent(j)}.${quoteIdent(junction.targetColumn)} ` +
    `WHERE ${source} = ANY(${keys})${policyClause(node, ctx, params, t)}`;
  const text = `SELECT * FROM (${inner}) AS ${S} WHERE ${S}.${RN} <= ${cap} ORDER BY ${S}.${PARENT}, ${S}.${ID} LIMIT ${params.add(limit)}`;
  return { text, values: params.values };
}

const keyOf = (value: unknown): string => String(value);

/**
 * Attaches expanded relations to serialized records in place: `author` → record or null,
 * `<source>_via_<relation>` and many-to-many → arrays. Expanded rows pass the target's policy
 * and carry only its readable fields. Never N+1: one query per relation per level. Each query
 * fetches at most the answer's remaining budget plus one row, so an answer over
 * `MAX_EXPANDED_RECORDS` is a 400 before more than that many records are ever read.
 */
export async function expandRecords(
  records: JsonRecord[],
  collection: CollectionMeta,
  nodes: readonly ExpandNode[],
  ctx: ExpandContext,
): Promise<void> {
  const budget = (ctx.budget ??= { remaining: MAX_EXPANDED_RECORDS });
  for (const node of nodes) {
    const serialize = createRowSerializer(expandColumns(node, ctx));
    const parentKeyName =
      node.kind === 'many_to_one' ? fkKeyOf(collection, node.fkColumn, ctx.catalog) : 'id';
    const parentKeys = [
      ...new Set(
        records
          .map((r) => r[parentKeyName])
          .filter((v) => v !== null && v !== undefined)
          .map(keyOf),
      ),
    ];
    const children: JsonRecord[] = [];
    if (parentKeys.length === 0) {
      for (const record of records) record[node.name] = node.kind === 'many_to_one' ? null : [];
      continue;
    }
    const rows = await ctx.run(compileExpand(node, parentKeys, ctx, budget.remaining + 1));
    if (rows.length > budget.remaining) throw tooManyExpanded();
    budget.remaining -= rows.length;
    if (node.kind === 'many_to_one') {
      const byId = new Map<string, JsonRecord>();
      for (const row of rows) {
        const child = serialize(row);
        byId.set(keyOf(child.id), child);
        children.push(child);
      }
      for (const record of records) {
        const fk = record[parentKeyName];
        record[node.name] = fk === null || fk === undefined ? null : (byId.get(keyOf(fk)) ?? null);
      }
    } else {
      const groups = new Map<string, JsonRecord[]>();
      for (const row of rows) {
        const child = serialize(row);
        const parent = keyOf(node.kind === 'one_to_many' ? row[node.fkColumn] : row.__parent);
        const group = groups.get(parent) ?? [];
        group.push(child);
        groups.set(parent, group);
        children.push(child);
      }
      for (const record of records) record[node.name] = groups.get(keyOf(record.id)) ?? [];
    }
    if (node.children.length > 0 && children.length > 0) {
      await expandRecords(children, node.target, node.children, ctx);
    }
  }
}

/** Many-to-many id arrays for records that are not expanded: `"tags":[1,2]`. */
export function compileManyToManyIds(
  field: FieldMeta,
  collection: CollectionMeta,
  parentIds: readonly unknown[],
): CompiledQuery {
  const relation = field.relation;
  if (
    !relation ||
    relation.kind !== 'many_to_many' ||
    !relation.junctionTable ||
    !relation.junctionSourceColumn ||
    !relation.junctionTargetColumn
  ) {
    throw queryError(
      field.name,
      'not_many_to_many',
      `Field ${field.name} is not a many-to-many relation`,
    );
  }
  const params = new SqlParams();
  const source = quoteIdent(relation.junctionSourceColumn);
  const target = quoteIdent(relation.junctionTargetColumn);
  const text = `SELECT ${source} AS ${PARENT}, ${target} AS ${ID} FROM ${quoteQualified(collection.schema, relation.junctionTable)} WHERE ${source} = ANY(${params.add([...parentIds])}) ORDER BY ${source}, ${target}`;
  return { text, values: params.values };
}
