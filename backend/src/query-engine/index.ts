export * from './filter';
export * from './query-compiler';
export * from './list-query';
export * from './expand';
export * from './serialize-row';
export * from './sort';
export * from './readable';
export { escapeLike, SqlParams } from './sql-params';
export { compileFilter, compileSearch } from './compile-filter';
export {
  hasColumn,
  resolveColumn,
  visibleColumns,
  type CatalogLookup,
  type ResolvedColumn,
  type ResolveOptions,
} from './field-resolver';
export { evaluateFilter, type Truth as FilterTruth } from './evaluate-filter';
export * from './view-definition';
export * from './view-compiler';
