import { queryOptions } from '@tanstack/react-query';
import { backend } from '@/lib/backend';

export interface RealtimeSubscriptionInfo {
  id: string;
  collection: string;
  filter: boolean;
  /** false while it replays `since=` or catches up. */
  live: boolean;
  pending_events: number;
  last_event_id: string | null;
}

export interface RealtimeConnectionInfo {
  id: number;
  principal: { kind: string; id: string | null; role?: string };
  ip: string | null;
  user_agent: string | null;
  connected_at: string;
  buffered_bytes: number;
  subscriptions: RealtimeSubscriptionInfo[];
}

export interface RealtimeConnections {
  process: { sockets: number; subscriptions: number; position: string | null };
  connections: RealtimeConnectionInfo[];
}

export const realtimeKeys = {
  connections: (projectId: string) => ['realtime', projectId, 'connections'] as const,
};

/** The API process's sockets for this project, refreshed while the inspector is open. */
export const realtimeConnectionsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: realtimeKeys.connections(projectId),
    queryFn: ({ signal }) =>
      backend.request<RealtimeConnections>(
        'GET',
        `/api/projects/${encodeURIComponent(projectId)}/realtime/connections`,
        { signal },
      ),
    refetchInterval: 2000,
  });
