/** Names of the field types a collection may hold (DESIGN §4). `boolean` is accepted as an alias of `bool` at the API edge. */
export const FIELD_TYPE_NAMES = [
  'string',
  'text',
  'int',
  'float',
  'decimal',
  'bool',
  'date',
  'datetime',
  'uuid',
  'json',
  'enum',
  'file',
  'relation',
] as const;
export type FieldTypeName = (typeof FIELD_TYPE_NAMES)[number];

/** Every filter operator of the query language (DESIGN §5). */
export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'icontains',
  'startswith',
  'endswith',
  'in',
  'notin',
  'isnull',
  'like',
  'ilike',
  'between',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Per-type settings (DESIGN §8 "Field create"). */
export interface FieldOptions {
  values?: string[];
  precision?: number;
  scale?: number;
  max_length?: number;
  bucket?: string;
  /** file: deleting a record also deletes the file it points at. */
  delete_files_with_record?: boolean;
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; message: string };

/** One file per type implements this; the registry maps names to definitions. */
export interface FieldTypeDefinition {
  readonly name: FieldTypeName;
  /** SQL column type, built only from validated numeric options (never user text). */
  columnType(options: FieldOptions): string;
  /** Checks type settings at field create/update; returns a message when invalid. */
  validateOptions(options: FieldOptions): string | null;
  /** A JSON body value → the bind parameter for this column (null passes through). */
  parse(input: unknown, options: FieldOptions): ParseResult;
  /** A query-string value (always text) → the bind parameter for this column. */
  parseQuery(raw: string, options: FieldOptions): ParseResult;
  /** A value as node-postgres returns it → its JSON form in responses. */
  serialize(value: unknown): unknown;
  /** Operators allowed in filters on fields of this type. */
  readonly operators: readonly FilterOperator[];
  /** Whether `search=` full-text and trigram indexes apply. */
  readonly textual: boolean;
}
