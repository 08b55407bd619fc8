import { queryOptions } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { projectKeys } from './keys';

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
    queryFn: async ({ signal }): Promise<OverviewCounts> => {
      const collections = (
        await backend.admin.schema(projectId).collections.list({ signal })
      ).filter((c) => !c.is_system);
      const [totals, users, keys] = await Promise.all([
        Promise.all(
          collections.map((c) =>
            orNull(
              backend
                .project(projectId)
                .collection(c.name)
                .list({ limit: 1, fields: ['id'] }, { signal }),
            ),
          ),
        ),
        orNull(backend.admin.appUsers(projectId).list({ limit: 1 }, { signal })),
        orNull(backend.admin.apiKeys(projectId).list({ signal })),
      ]);
      const active = keys?.filter((k) => !k.revoked) ?? null;
      return {
        collections: collections.length,
        records: totals.every((t) => t)
          ? totals.reduce((sum, t) => sum + (t?.total ?? 0), 0)
          : null,
        appUsers: users?.total ?? null,
        apiKeys: active?.length ?? null,
        keyUsed: !!active?.some((k) => k.last_used_at),
      };
    },
  });
