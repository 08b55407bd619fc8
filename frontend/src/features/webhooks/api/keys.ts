import type { DeliveryStatus } from '../types';

export const webhookKeys = {
  all: ['webhooks'] as const,
  list: (projectId: string) => [...webhookKeys.all, projectId] as const,
  deliveries: (projectId: string, webhookId: string) =>
    [...webhookKeys.list(projectId), webhookId, 'deliveries'] as const,
  deliveryPage: (
    projectId: string,
    webhookId: string,
    status: DeliveryStatus | undefined,
    offset: number,
  ) => [...webhookKeys.deliveries(projectId, webhookId), { status, offset }] as const,
  delivery: (projectId: string, webhookId: string, deliveryId: string) =>
    [...webhookKeys.deliveries(projectId, webhookId), 'detail', deliveryId] as const,
};
