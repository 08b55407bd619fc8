import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { CreatedWebhook, Delivery, Webhook, WebhookInput } from '../types';
import { webhookKeys } from './keys';
import { webhooksPath } from './webhooks-query';

/** The dialog shows create errors inline (e.g. WEBHOOK_URL_FORBIDDEN on the URL). */
export function useCreateWebhook(projectId: string) {
  return useApiMutation({
    mutationFn: (body: WebhookInput) =>
      backend.request<CreatedWebhook>('POST', webhooksPath(projectId), { body }),
    invalidate: [webhookKeys.list(projectId)],
    success: (v) => `Webhook “${v.name}” created`,
    errorToast: false,
  });
}

export function useUpdateWebhook(projectId: string, { inline = false } = {}) {
  return useApiMutation({
    mutationFn: ({ id, body }: { id: string; body: Partial<WebhookInput> }) =>
      backend.request<Webhook>('PATCH', webhooksPath(projectId, id), { body }),
    invalidate: [webhookKeys.list(projectId)],
    success: (v, w) =>
      v.body.is_active !== undefined && Object.keys(v.body).length === 1
        ? `Webhook “${w.name}” ${w.is_active ? 'enabled' : 'paused'}`
        : `Webhook “${w.name}” saved`,
    errorToast: inline,
  });
}

export function useDeleteWebhook(projectId: string) {
  return useApiMutation({
    mutationFn: (w: Webhook) => backend.request<void>('DELETE', webhooksPath(projectId, w.id)),
    invalidate: [webhookKeys.list(projectId)],
    success: (w) => `Webhook “${w.name}” deleted`,
  });
}

export function useRotateSecret(projectId: string) {
  return useApiMutation({
    mutationFn: (w: Webhook) =>
      backend.request<{ secret: string }>('POST', webhooksPath(projectId, w.id, 'rotate-secret')),
    success: (w) => `New secret for “${w.name}”`,
  });
}

export function useTestWebhook(projectId: string) {
  return useApiMutation({
    mutationFn: (w: Webhook) =>
      backend.request<{ delivery_id: string }>('POST', webhooksPath(projectId, w.id, 'test')),
    invalidate: [webhookKeys.list(projectId)],
    onSuccess: (_r, w, qc) =>
      void qc.invalidateQueries({ queryKey: webhookKeys.deliveries(projectId, w.id) }),
    success: (w) => `Test event sent to “${w.name}”`,
  });
}

export function useRedeliver(projectId: string, webhookId: string) {
  return useApiMutation({
    mutationFn: (d: Delivery) =>
      backend.request<Delivery>(
        'POST',
        webhooksPath(projectId, webhookId, 'deliveries', d.id, 'redeliver'),
      ),
    invalidate: [webhookKeys.deliveries(projectId, webhookId)],
    success: 'Redelivery queued',
  });
}

export function useReplay(projectId: string, webhookId: string) {
  return useApiMutation({
    mutationFn: (range: { from: string; to: string }) =>
      backend.request<{ queued: number }>('POST', webhooksPath(projectId, webhookId, 'replay'), {
        body: range,
      }),
    invalidate: [webhookKeys.deliveries(projectId, webhookId)],
    success: (_v, r) => `${r.queued} event${r.queued === 1 ? '' : 's'} queued for redelivery`,
    errorToast: false,
  });
}
