import { AppError } from '../common/errors/app-error';
import type { CollectionMeta } from '../schema-engine/catalog.types';
import { quoteIdent } from '../schema-engine/identifiers';
import {
  resolveColumn,
  visibleColumns,
  type CatalogLookup,
  type ResolvedColumn,
} from './field-resolver';
import type { FilterAst } from './filter';
import { escapeLike, type SqlParams } from './sql-params';

export interface FilterContext {
  collection: CollectionMeta;
  params: SqlParams;
  /** Table alias to qualify columns with (joins in expand); null for single-table statements. */
  alias?: string | null;
  catalog?: CatalogLookup;
  /**
   * Maps an AST field to its SQL and column instead of the collection's own columns (a view's
   * joined columns and aggregates); the SQL comes from the view compiler, never from input.
   */
  refOf?: (field: string) => { sql: string; column: ResolvedColumn } | null;
}

export function columnRef(column: ResolvedColumn, alias: string | null | undefined): string {
  return alias ? `${quoteIdent(alias)}.${quoteIdent(column.column)}` : quoteIdent(column.column);
}

function internal(message: string): AppError {
  return new AppError('INTERNAL', message);
}

function pattern(op: string, value: string): string {
  const text = escapeLike(value);
  if (op === 'startswith') return `${text}%`;
  if (op === 'endswith') return `%${text}`;
  return `%${text}%`;
}

function compileCondition(node: Extract<FilterAst, { kind: 'cond' }>, ctx: FilterContext): string {
  // Re-resolved against the meta so every identifier comes from the catalog, whoever built the AST.
  let col: string;
  if (ctx.refOf) {
    const ref = ctx.refOf(node.field);
    if (!ref) throw internal('filter names a column the view does not have');
    col = ref.sql;
  } else {
    const column = resolveColumn(ctx.collection, node.field, {
      includeHidden: true,
      catalog: ctx.catalog,
    });
    if (!column) throw internal('filter names a column the collection does not have');
    col = columnRef(column, ctx.alias);
  }
  const { op, value } = node;
  const p = (v: unknown) => ctx.params.add(v);
  switch (op) {
    case 'eq':
      return value === null ? `${col} IS NULL` : `${col} = ${p(value)}`;
    case 'neq':
      return value === null ? `${col} IS NOT NULL` : `${col} <> ${p(value)}`;
    case 'gt':
      return `${col} > ${p(value)}`;
    case 'gte':
      return `${col} >= ${p(value)}`;
    case 'lt':
      return `${col} < ${p(value)}`;
    case 'lte':
      return `${col} <= ${p(value)}`;
    case 'contains':
    case 'startswith':
    case 'endswith':
      return `${col} LIKE ${p(pattern(op, String(value)))} ESCAPE '\\'`;
    case 'icontains':
      return `${col} ILIKE ${p(pattern(op, String(value)))} ESCAPE '\\'`;
    case 'like':
      return `${col} LIKE ${p(value)}`;
    case 'ilike':
      return `${col} ILIKE ${p(value)}`;
    case 'in':
    case 'notin':
      if (!Array.isArray(value)) throw internal(`${op} needs a list`);
      return op === 'in' ? `${col} = ANY(${p(value)})` : `${col} <> ALL(${p(value)})`;
    case 'between':
      if (!Array.isArray(value) || value.length !== 2) throw internal('between needs two values');
      return `${col} BETWEEN ${p(value[0])} AND ${p(value[1])}`;
    case 'isnull':
      return value === true ? `${col} IS NULL` : `${col} IS NOT NULL`;
    default:
      throw internal(`unsupported operator ${String(op)}`);
  }
}

/** The filter as a SQL boolean expression; values go to `ctx.params`. */
export function compileFilter(ast: FilterAst, ctx: FilterContext): string {
  switch (ast.kind) {
    case 'literal':
      return ast.value === null ? 'NULL' : ast.value ? 'TRUE' : 'FALSE';
    case 'cond':
      return compileCondition(ast, ctx);
    case 'not':
      return `NOT (${compileFilter(ast.child, ctx)})`;
    case 'and':
    case 'or': {
      if (ast.children.length === 0) return ast.kind === 'and' ? 'TRUE' : 'FALSE';
      const parts = ast.children.map((child) => compileFilter(child, ctx));
      return parts.length === 1
        ? parts[0]
        : `(${parts.join(ast.kind === 'and' ? ' AND ' : ' OR ')})`;
    }
    default:
      throw internal('unknown filter node');
  }
}

/** The columns `search=` covers: the visible textual fields. */
export function searchColumns(
  collection: CollectionMeta,
  catalog?: CatalogLookup,
): ResolvedColumn[] {
  return visibleColumns(collection, catalog).filter((c) => c.field !== null && c.type.textual);
}

/**
 * `search=`: case-insensitive substring over the visible textual fields, as `ILIKE '%term%'`
 * so the pg_trgm GIN indexes on those columns serve it (to_tsvector would need its own index
 * per column and misses partial words).
 */
export function compileSearch(term: string, ctx: FilterContext): string {
  const columns = searchColumns(ctx.collection, ctx.catalog);
  if (columns.length === 0) return 'FALSE';
  const param = ctx.params.add(`%${escapeLike(term)}%`);
  const parts = columns.map((c) => `${columnRef(c, ctx.alias)} ILIKE ${param}`);
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}
