import type {
  BulkResult,
  Expanded,
  FieldName,
  FilterOp,
  FilterValue,
  ImportResult,
  ListOptions,
  ListResult,
  RecordId,
  Row,
} from './data';
import type { CallOptions } from './http';
import type { SubscribeOptions } from './realtime';

/**
 * The types of one collection, as `GET /api/projects/{pid}/types.ts` (or `pnpm backendify types`)
 * writes them: the row the API answers with, what a create and an update take, and what `expand`
 * adds.
 */
export interface CollectionTypes {
  Row: object;
  Insert: object;
  Update: object;
  Relations: object;
}

/** A project's generated `Database` interface: `createClient<Database>({...})`. */
export interface DatabaseTypes {
  collections: { [name: string]: CollectionTypes };
}

/** No generated types: every collection is `Record<string, unknown>` unless given one. */
export interface UntypedDatabase {
  collections: Record<never, CollectionTypes>;
}

/** The collections a `Database` names. */
export type CollectionName<DB extends DatabaseTypes> = keyof DB['collections'] & string;

type RelationName<C extends CollectionTypes> = keyof C['Relations'] & string;

/** An `expand` entry: a relation, or a path through it (`author.profile`, typed loosely past the first step). */
export type ExpandPath<C extends CollectionTypes> =
  RelationName<C> | `${RelationName<C>}.${string}`;

type Head<P extends string> = P extends `${infer H}.${string}` ? H : P;
/** What a nested expansion adds below the first relation, loosely typed. */
type Deeper<T> = T extends readonly (infer U)[]
  ? (U & Expanded)[]
  : T extends null
    ? null
    : T & Expanded;

/** The relations `expand: [...]` adds to a record: `expand: ['author']` adds `author: Users`. */
export type ExpandResult<C extends CollectionTypes, E extends readonly string[]> = {
  [P in E[number] as Head<P>]: Head<P> extends infer H extends keyof C['Relations']
    ? P extends `${string}.${string}`
      ? Deeper<C['Relations'][H]>
      : C['Relations'][H]
    : unknown;
};

/** `field__op` filters on the collection's own fields and system columns: unknown keys do not compile. */
export type TypedFilters<T> = { [K in `${FieldName<T>}__${FilterOp}`]?: FilterValue };

/** A record with expansions in place: an expanded key (a file field, say) takes the expanded type. */
export type WithExpand<R, X> = Omit<Row<R>, keyof X> & X;

/** One page of typed records. */
export interface TypedListResult<R, X> extends Omit<ListResult<R>, 'records'> {
  records: WithExpand<R, X>[];
}

export interface TypedReadOptions<C extends CollectionTypes, E extends readonly ExpandPath<C>[]> {
  /** Only these fields. */
  fields?: readonly FieldName<C['Row']>[];
  /** Relations to embed; their records are typed from the collection's `Relations`. */
  expand?: E;
}

export type TypedListParams<C extends CollectionTypes, E extends readonly ExpandPath<C>[]> = Omit<
  ListOptions,
  'fields' | 'expand' | 'sort'
> &
  TypedReadOptions<C, E> &
  TypedFilters<C['Row']> & {
    /** `['-price', 'title']`: a field name, `-` for descending. */
    sort?: readonly (FieldName<C['Row']> | `-${FieldName<C['Row']>}`)[];
  };

export interface TypedBulkInput<C extends CollectionTypes> {
  create?: C['Insert'][];
  update?: (C['Update'] & { id: RecordId })[];
  delete?: RecordId[];
}

export type TypedExportParams<C extends CollectionTypes> = Omit<
  TypedListParams<C, []>,
  'limit' | 'offset' | 'after' | 'count' | 'expand'
> & { format?: 'csv' | 'json' };

/** Records of a collection typed by the generated types (same routes as `CollectionApi`). */
export interface TypedCollectionApi<C extends CollectionTypes> {
  list<const E extends readonly ExpandPath<C>[] = []>(
    params?: TypedListParams<C, E>,
    call?: CallOptions,
  ): Promise<TypedListResult<C['Row'], ExpandResult<C, E>>>;
  get<const E extends readonly ExpandPath<C>[] = []>(
    id: RecordId,
    options?: TypedReadOptions<C, E>,
    call?: CallOptions,
  ): Promise<WithExpand<C['Row'], ExpandResult<C, E>>>;
  create(data: C['Insert']): Promise<Row<C['Row']>>;
  update(id: RecordId, data: C['Update']): Promise<Row<C['Row']>>;
  delete(id: RecordId): Promise<void>;
  bulk(input: TypedBulkInput<C>): Promise<BulkResult<C['Row']>>;
  export(params?: TypedExportParams<C>, call?: CallOptions): Promise<string>;
  import(
    rows: readonly C['Insert'][] | string,
    options?: { format?: 'csv' | 'json' },
  ): Promise<ImportResult>;
}

/** The typed form of `realtime.subscribe` for a collection of the `Database`. */
export type TypedSubscribe<DB extends DatabaseTypes> = <N extends CollectionName<DB>>(
  collection: N,
  options: SubscribeOptions<Row<DB['collections'][N]['Row']>>,
) => () => void;
