import { useQueryClient } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { SqlResult } from '../types';
import { sqlKeys } from './keys';
import { sqlPath } from './sql-query';

/** Runs one statement; the page shows a refusal inline (PostgreSQL's message and SQLSTATE). */
export function useRunSql(projectId: string) {
  const queryClient = useQueryClient();
  return useApiMutation({
    mutationFn: async (vars: { query: string; readOnly: boolean }) => {
      try {
        return await backend.request<SqlResult>('POST', sqlPath(projectId), {
          body: { query: vars.query, ...(vars.readOnly ? {} : { read_only: false }) },
        });
      } finally {
        // Refused runs are in the history too.
        void queryClient.invalidateQueries({ queryKey: sqlKeys.history(projectId) });
      }
    },
    errorToast: false,
  });
}
