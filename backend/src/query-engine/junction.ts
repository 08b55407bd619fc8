import type { CollectionMeta, FieldMeta } from '../schema-engine/catalog.types';
import { quoteIdent, quoteQualified } from '../schema-engine/identifiers';
import { queryError } from './query-errors';
import { SqlParams, type CompiledQuery } from './sql-params';

function junctionOf(field: FieldMeta) {
  const r = field.relation;
  if (
    !r ||
    r.kind !== 'many_to_many' ||
    !r.junctionTable ||
    !r.junctionSourceColumn ||
    !r.junctionTargetColumn
  ) {
    throw queryError(
      field.name,
      'not_many_to_many',
      `Field ${field.name} is not a many-to-many relation`,
    );
  }
  return { table: r.junctionTable, source: r.junctionSourceColumn, target: r.junctionTargetColumn };
}

/**
 * Replacing the set of a many-to-many field (`"tags": [1, 2]`) for one record: delete the old
 * pairs, then insert the new ones, in the caller's transaction.
 */
export function compileJunctionReplace(
  field: FieldMeta,
  collection: CollectionMeta,
  recordId: unknown,
  targetIds: readonly unknown[],
  targetIdType: 'bigint' | 'uuid',
): CompiledQuery[] {
  const j = junctionOf(field);
  const table = quoteQualified(collection.schema, j.table);
  const source = quoteIdent(j.source);
  const target = quoteIdent(j.target);
  const del = new SqlParams();
  const statements: CompiledQuery[] = [
    { text: `DELETE FROM ${table} WHERE ${source} = ${del.add(recordId)}`, values: del.values },
  ];
  const unique = [...new Set(targetIds.map(String))];
  if (unique.length > 0) {
    const ins = new SqlParams();
    const cast = targetIdType === 'uuid' ? 'uuid' : 'bigint';
    statements.push({
      text: `INSERT INTO ${table} (${source}, ${target}) SELECT ${ins.add(recordId)}, unnest(${ins.add(unique)}::text[])::${cast}`,
      values: ins.values,
    });
  }
  return statements;
}
