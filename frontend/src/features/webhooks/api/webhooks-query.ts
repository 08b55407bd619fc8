import { keepPreviousData, queryOptions, useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { backend, compactQuery } from '@/lib/backend';
import type { DeliveryDetail, DeliveryPage, DeliveryStatus, Webhook } from '../types';
import { webhookKeys } from './keys';

export const DELIVERY_PAGE_SIZE = 25;

export const webhooksPath = (projectId: string, ...rest: string[]) =>
  [`/api/projects/${encodeURIComponent(projectId)}/webhooks`, ...rest.map(encodeURIComponent)].join(
    '/',
  );

export const webhooksQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: webhookKeys.list(projectId),
    queryFn: ({ signal }) => backend.request<Webhook[]>('GET', webhooksPath(projectId), { signal }),
  });

export function useWebhooks(projectId: string) {
  return useSuspenseQuery(webhooksQueryOptions(projectId));
}

export function useDeliveries(
  projectId: string,
  webhookId: string,
  status: DeliveryStatus | undefined,
  offset: number,
) {
  return useQuery({
    queryKey: webhookKeys.deliveryPage(projectId, webhookId, status, offset),
    queryFn: ({ signal }) =>
      backend.request<DeliveryPage>('GET', webhooksPath(projectId, webhookId, 'deliveries'), {
        signal,
        query: compactQuery({ status, limit: DELIVERY_PAGE_SIZE, offset: offset || undefined }),
      }),
    placeholderData: keepPreviousData,
    // Pending deliveries move on by themselves; keep the log fresh while it is on screen.
    refetchInterval: (q) =>
      q.state.data?.deliveries.some((d) => d.status === 'pending') ? 3000 : 15000,
  });
}

export function useDelivery(projectId: string, webhookId: string, deliveryId: string | null) {
  return useQuery({
    queryKey: webhookKeys.delivery(projectId, webhookId, deliveryId ?? ''),
    queryFn: ({ signal }) =>
      backend.request<DeliveryDetail>(
        'GET',
        webhooksPath(projectId, webhookId, 'deliveries', deliveryId ?? ''),
        { signal },
      ),
    enabled: deliveryId !== null,
  });
}
