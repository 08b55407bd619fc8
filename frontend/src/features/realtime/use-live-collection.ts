import { useEffect, useRef, useState } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { RealtimeError, RealtimeEvent } from '@backendify/client';
import { backend } from '@/lib/backend';

/** `connecting` until the server confirms the subscription (again after every reconnect). */
export type LiveStatus = 'connecting' | 'live' | 'error';

export interface LiveCollection {
  status: LiveStatus;
  error: RealtimeError | null;
  /** Changes that arrived while paused; applied (by one refetch) when resumed. */
  pending: number;
  /** Ids of rows changed in the last moments, for the grid to flash. */
  flashed: ReadonlySet<string>;
}

const FLASH_MS = 2000;
/** At most one refetch per this interval while changes stream in (leading and trailing). */
const REFETCH_GAP_MS = 300;

/**
 * Keeps a collection's cached queries in step with the server over the console's realtime
 * socket: every change refetches the queries under `queryKey` (so the visible page keeps the
 * server's filters, sort, paging and expanded relations) and flashes the changed rows. Paused,
 * changes are counted instead and applied together on resume.
 */
export function useLiveCollection(
  projectId: string,
  collection: string,
  queryKey: QueryKey,
  { paused }: { paused: boolean },
): LiveCollection {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [error, setError] = useState<RealtimeError | null>(null);
  const [pending, setPending] = useState(0);
  const [flashed, setFlashed] = useState<ReadonlySet<string>>(() => new Set());
  const pausedRef = useRef(paused);
  const pendingRef = useRef(0);
  const keyRef = useRef(queryKey);
  keyRef.current = queryKey;

  useEffect(() => {
    let throttle: number | null = null;
    let trailing = false;
    const flashTimers = new Set<number>();
    const refetch = () => {
      if (throttle !== null) {
        trailing = true;
        return;
      }
      void queryClient.invalidateQueries({ queryKey: keyRef.current });
      throttle = window.setTimeout(() => {
        throttle = null;
        if (trailing) {
          trailing = false;
          refetch();
        }
      }, REFETCH_GAP_MS);
    };
    const flash = (id: string) => {
      setFlashed((prev) => new Set(prev).add(id));
      const t = window.setTimeout(() => {
        flashTimers.delete(t);
        setFlashed((prev) => {
          const next = new Set(prev);
          next.delete(id);
          return next;
        });
      }, FLASH_MS);
      flashTimers.add(t);
    };

    setStatus('connecting');
    setError(null);
    let ready = false;
    const subscribedAt = Date.now();
    const unsubscribe = backend.project(projectId).realtime.subscribe(collection, {
      onReady: () => {
        setStatus('live');
        setError(null);
        // After a reconnect the client replays what was missed (it resumes `since` its last
        // event). The first time, only data fetched before the subscription began can lack a
        // change; a page that loads after it (the usual cold load) is not fetched twice.
        if (ready || pausedRef.current) return;
        ready = true;
        const before = queryClient
          .getQueryCache()
          .findAll({ queryKey: keyRef.current, type: 'active' })
          .some((q) => q.state.fetchStatus === 'idle' && q.state.dataUpdatedAt < subscribedAt);
        if (before) refetch();
      },
      onEvent: (event: RealtimeEvent) => {
        if (pausedRef.current) {
          pendingRef.current += 1;
          setPending(pendingRef.current);
          return;
        }
        if (event.type !== 'record.deleted' && event.record.id != null)
          flash(String(event.record.id));
        refetch();
      },
      onError: (err) => {
        // A refused resume point continues live from now: reload to be sure nothing is missed.
        if (err.code === 'SINCE_TOO_OLD') return refetch();
        setStatus('error');
        setError(err);
      },
    });
    return () => {
      unsubscribe();
      if (throttle !== null) window.clearTimeout(throttle);
      flashTimers.forEach((t) => window.clearTimeout(t));
      setFlashed(new Set());
    };
  }, [projectId, collection, queryClient]);

  useEffect(() => {
    pausedRef.current = paused;
    if (!paused && pendingRef.current > 0) {
      pendingRef.current = 0;
      setPending(0);
      void queryClient.invalidateQueries({ queryKey: keyRef.current });
    }
  }, [paused, queryClient]);

  return { status, error, pending, flashed };
}
