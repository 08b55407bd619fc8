import { AppError } from '../../../common/errors/app-error';
import type { FieldMeta } from '../../../schema-engine/catalog.types';
import type { MetadataWriter } from '../../catalog/catalog-writer';
import type {
  CatalogCollection,
  CollectionMeta,
  ProjectCatalog,
} from '../../catalog/catalog.types';
import type { EvolutionOperation } from '../dto/schema-evolution.dto';

export const ALIAS_DAYS = 30;

/** What an operation plans against: the current catalog and the collection it changes. */
export interface OperationContext {
  catalog: ProjectCatalog;
  collection: CatalogCollection;
}

/** One evolution step as data: the target metadata, the catalog writes, and what the answer says. */
export interface OperationPlan {
  after: CollectionMeta;
  warnings: string[];
  /** Catalog rows written in the DDL's transaction. */
  writeMetadata: (meta: MetadataWriter) => Promise<void>;
  /** A `schema_ops` row for a change with no DDL of its own (soft delete, restore). */
  logicalOp?: { payload: Record<string, unknown> };
  details: (fresh: ProjectCatalog) => Record<string, unknown>;
}

/** One operation of the evolution API, one file each; the service dispatches and applies. */
export interface EvolutionOperationDefinition<Op extends EvolutionOperation, Input> {
  type: Op;
  /** Reads the params the operation needs; a missing one is a 400. */
  parse(params: Record<string, unknown>): Input;
  /** Validates against the current catalog and computes the change; throws the 4xx it deserves. */
  plan(ctx: OperationContext, input: Input): OperationPlan;
}

export const bad = (detail: string) => AppError.badRequest(detail);

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : undefined;

export const truthy = (v: unknown) => v === true || v === 'true' || v === 'True' || v === '1';

/** The `_users` password hash: never addressable, not even by admins. */
const isSecret = (f: FieldMeta) => f.isSystem && f.isHidden;

export function findField(c: CatalogCollection, fieldId: string | undefined): FieldMeta {
  const f = c.meta.fields.find((x) => x.id === fieldId);
  if (!f || isSecret(f)) throw AppError.notFound('Field');
  return f;
}

export function replaceField(c: CatalogCollection, next: FieldMeta): CollectionMeta {
  return { ...c.meta, fields: c.meta.fields.map((x) => (x.id === next.id ? next : x)) };
}

export function aliasExpiry(): Date {
  return new Date(Date.now() + ALIAS_DAYS * 24 * 60 * 60 * 1000);
}
