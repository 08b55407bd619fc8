import { queryOptions, useQueries, useSuspenseQuery } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { fieldsQueryOptions, type Collection } from '@/lib/schema-meta';
import type { SqlHistoryEntry } from '../types';
import { sqlKeys } from './keys';

export const sqlPath = (projectId: string, rest = '') =>
  `/api/projects/${encodeURIComponent(projectId)}/sql${rest}`;

export const sqlHistoryQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: sqlKeys.history(projectId),
    queryFn: ({ signal }) =>
      backend.request<{ history: SqlHistoryEntry[] }>('GET', sqlPath(projectId, '/history'), {
        signal,
      }),
  });

export function useSqlHistory(projectId: string) {
  return useSuspenseQuery(sqlHistoryQueryOptions(projectId)).data.history;
}

/** `{table: [columns]}` for the editor's completion, from the catalog (fields load in parallel). */
export function useSqlSchema(
  projectId: string,
  collections: Collection[],
): Record<string, string[]> {
  const fields = useQueries({
    queries: collections.map((c) => fieldsQueryOptions(projectId, c.name)),
  });
  const schema: Record<string, string[]> = {};
  collections.forEach((c, i) => {
    const columns = ['id', 'created_at', 'updated_at'];
    for (const f of fields[i]?.data ?? []) {
      // The console role cannot read the hash (PostgreSQL refuses it), so it is not offered.
      if (!f.is_deleted && f.sql_column_name !== 'password_hash') columns.push(f.sql_column_name);
    }
    schema[c.sql_table_name] = [...new Set(columns)];
  });
  return schema;
}
