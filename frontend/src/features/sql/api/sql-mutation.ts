import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { SqlResult } from '../types';
import { sqlKeys } from './keys';
import { sqlPath } from './sql-query';

/** Runs one statement; the page shows a refusal inline (PostgreSQL's message and SQLSTATE). */
export function useRunSql(projectId: string) {
  return useApiMutation({
    mutationFn: (vars: { query: string; readOnly: boolean }) =>
      backend.request<SqlResult>('POST', sqlPath(projectId), {
        body: { query: vars.query, ...(vars.readOnly ? {} : { read_only: false }) },
      }),
    invalidate: [sqlKeys.history(projectId)],
    errorToast: false,
  });
}
