import { queryOptions } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { projectKeys } from './keys';
import { statsQueryOptions } from './usage-query';

/** What the Overview checklist counts; null where the member's role may not see it. */
export interface OverviewCounts {
  collections: number;
  records: number | null;
  appUsers: number | null;
  apiKeys: number | null;
  /** Some active key has made a call. */
  keyUsed: boolean;
}

const orNull = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);

export const overviewCountsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: projectKeys.counts(projectId),
    queryFn: async ({ signal, client }): Promise<OverviewCounts> => {
      const collections = (
        await backend.admin.schema(projectId).collections.list({ signal })
      ).filter((c) => !c.is_system);
      // One stats request counts every collection (exact up to 10,000 rows, estimated above).
      const [stats, users, keys] = await Promise.all([
        // The same query as the Usage section's (1h is its default range): fetched once.
        orNull(client.fetchQuery({ ...statsQueryOptions(projectId, '1h'), staleTime: 2_000 })),
        orNull(backend.admin.appUsers(projectId).list({ limit: 1 }, { signal })),
        orNull(backend.admin.apiKeys(projectId).list({ signal })),
      ]);
      const active = keys?.filter((k) => !k.revoked) ?? null;
      return {
        collections: collections.length,
        records: stats ? stats.collections.reduce((sum, c) => sum + c.records, 0) : null,
        appUsers: users?.total ?? null,
        apiKeys: active?.length ?? null,
        keyUsed: !!active?.some((k) => k.last_used_at),
      };
    },
  });
