import { RotateCw } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { Dialog } from '@/components/ui/dialog';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { formatDateTime } from '@/lib/utils';
import { useRedeliver } from '../api/webhook-mutations';
import { useDelivery } from '../api/webhooks-query';
import type { Delivery } from '../types';
import { DeliveryStatusChip, HttpStatus, formatDuration } from './delivery-chips';
import { MetaItem } from '@/components/ui/meta-item';

interface DeliveryDialogProps {
  projectId: string;
  webhookId: string;
  delivery: Delivery | null;
  canEdit: boolean;
  onOpenChange: (open: boolean) => void;
}

/** One delivery: the request as sent (headers, payload), every attempt, and redeliver. */
export function DeliveryDialog({
  projectId,
  webhookId,
  delivery,
  canEdit,
  onOpenChange,
}: DeliveryDialogProps) {
  const detail = useDelivery(projectId, webhookId, delivery?.id ?? null);
  const redeliver = useRedeliver(projectId, webhookId);
  const d = detail.data ?? delivery;
  return (
    <Dialog
      open={delivery !== null}
      onOpenChange={onOpenChange}
      title={d ? `Delivery of ${d.event_type}` : ''}
      description={d ? `Delivery ${d.id} · ${formatDateTime(d.created_at)}` : undefined}
      className="sm:max-w-3xl"
    >
      {d && (
        <div className="grid gap-5" data-testid="delivery-detail">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-border bg-muted/30 p-4 sm:grid-cols-4">
            <MetaItem wrap label="Status">
              <DeliveryStatusChip status={d.status} />
            </MetaItem>
            <MetaItem wrap label="Response">
              <HttpStatus status={d.response_status} />
            </MetaItem>
            <MetaItem wrap label="Attempts">
              {d.attempts}
            </MetaItem>
            <MetaItem wrap label="Duration">
              {formatDuration(d.duration_ms)}
            </MetaItem>
            <MetaItem wrap label="Event id (X-Webhook-Id)">
              <code className="font-mono text-xs">{d.event_id ?? '—'}</code>
            </MetaItem>
            <MetaItem wrap label="Created">
              {formatDateTime(d.created_at)}
            </MetaItem>
            <MetaItem wrap label="Delivered">
              {formatDateTime(d.delivered_at)}
            </MetaItem>
            <MetaItem wrap label="Next attempt">
              {d.status === 'pending' ? formatDateTime(d.next_attempt_at) : '—'}
            </MetaItem>
          </dl>
          {d.error && (
            <Alert tone="danger" title="Last error">
              <span className="font-mono text-xs break-all">{d.error}</span>
            </Alert>
          )}
          {canEdit && (
            <div className="flex justify-end">
              <Button
                variant="outline"
                size="sm"
                loading={redeliver.isPending}
                onClick={() => delivery && redeliver.mutate(delivery)}
              >
                <RotateCw aria-hidden="true" />
                Redeliver
              </Button>
            </div>
          )}

          {detail.isError ? (
            <ProblemAlert error={detail.error} />
          ) : !detail.data ? (
            <div className="grid gap-2" aria-busy="true" aria-label="Loading delivery">
              <Skeleton className="h-24" />
              <Skeleton className="h-40" />
            </div>
          ) : (
            <>
              <section className="grid gap-2" aria-label="Attempts">
                <h3 className="text-sm font-semibold">Attempts</h3>
                {detail.data.attempt_log.length === 0 ? (
                  <p className="text-sm text-muted-foreground">Not attempted yet.</p>
                ) : (
                  <div className="overflow-x-auto rounded-lg border border-border">
                    <table className="w-full text-xs" aria-label="Attempt log">
                      <thead className="bg-muted/50 text-left text-muted-foreground">
                        <tr>
                          <th scope="col" className="px-3 py-2 font-medium">
                            #
                          </th>
                          <th scope="col" className="px-3 py-2 font-medium">
                            At
                          </th>
                          <th scope="col" className="px-3 py-2 font-medium">
                            Status
                          </th>
                          <th scope="col" className="px-3 py-2 font-medium">
                            Duration
                          </th>
                          <th scope="col" className="px-3 py-2 font-medium">
                            Error or response
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {detail.data.attempt_log.map((a) => (
                          <tr
                            key={a.attempt}
                            className="border-t border-border align-top"
                            data-testid="attempt-row"
                          >
                            <td className="px-3 py-1.5 font-mono">{a.attempt}</td>
                            <td className="px-3 py-1.5 whitespace-nowrap">
                              {formatDateTime(a.at)}
                            </td>
                            <td className="px-3 py-1.5">
                              <HttpStatus status={a.status} />
                            </td>
                            <td className="px-3 py-1.5 whitespace-nowrap">
                              {formatDuration(a.duration_ms)}
                            </td>
                            <td className="max-w-72 px-3 py-1.5 font-mono break-all">
                              {a.error ? (
                                <span className="text-destructive">{a.error}</span>
                              ) : (
                                <span className="text-muted-foreground">
                                  {a.response_excerpt || '—'}
                                </span>
                              )}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>
              <section className="grid gap-2" aria-label="Request">
                <h3 className="text-sm font-semibold">Request</h3>
                <CodeBlock
                  label="Headers"
                  code={Object.entries(detail.data.request_headers)
                    .map(([k, v]) => `${k}: ${v}`)
                    .join('\n')}
                />
                <CodeBlock label="Payload" code={JSON.stringify(detail.data.payload, null, 2)} />
              </section>
              <section className="grid gap-2" aria-label="Response">
                <h3 className="text-sm font-semibold">Response</h3>
                {d.response_body ? (
                  <CodeBlock label="Body (first 4 KB)" code={d.response_body} />
                ) : (
                  <p className="text-sm text-muted-foreground">No response body.</p>
                )}
              </section>
            </>
          )}
        </div>
      )}
    </Dialog>
  );
}
