import { useState } from 'react';
import { ChevronLeft, ChevronRight, History, RefreshCw, RotateCw, Send } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { StatusFilter } from '@/components/ui/status-filter';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { useRedeliver } from '../api/webhook-mutations';
import { DELIVERY_PAGE_SIZE, useDeliveries } from '../api/webhooks-query';
import { DELIVERY_STATUSES, type Delivery, type DeliveryStatus, type Webhook } from '../types';
import { DeliveryStatusChip, HttpStatus, formatDuration } from './delivery-chips';
import { DeliveryDialog } from './delivery-dialog';
import { ReplayDialog } from './replay-dialog';

interface DeliveriesPanelProps {
  projectId: string;
  webhook: Webhook;
  status: DeliveryStatus | undefined;
  offset: number;
  canEdit: boolean;
  onChange: (next: { status?: DeliveryStatus; offset?: number }) => void;
  onTest: () => void;
  testing: boolean;
}

/** The delivery log of one webhook, newest first, with status filter, paging and redeliver. */
export function DeliveriesPanel({
  projectId,
  webhook,
  status,
  offset,
  canEdit,
  onChange,
  onTest,
  testing,
}: DeliveriesPanelProps) {
  const page = useDeliveries(projectId, webhook.id, status, offset);
  const redeliver = useRedeliver(projectId, webhook.id);
  const [open, setOpen] = useState<Delivery | null>(null);
  const [replayOpen, setReplayOpen] = useState(false);
  const rows = page.data?.deliveries ?? [];
  const total = page.data?.total ?? 0;

  return (
    <Card className="overflow-hidden" data-testid="deliveries-panel">
      <CardHeader
        title={
          <span className="inline-flex items-center gap-2">
            <History className="size-4 text-muted-foreground" aria-hidden="true" />
            Deliveries of “{webhook.name}”
          </span>
        }
        description="Every attempt to send an event to this endpoint, newest first."
        actions={
          <>
            <Button
              variant="ghost"
              size="icon"
              aria-label="Refresh deliveries"
              onClick={() => void page.refetch()}
              disabled={page.isFetching}
            >
              <RefreshCw aria-hidden="true" className={page.isFetching ? 'animate-spin' : ''} />
            </Button>
            {canEdit && (
              <>
                <Button variant="outline" size="sm" onClick={() => setReplayOpen(true)}>
                  <RotateCw aria-hidden="true" />
                  Replay range
                </Button>
                <Button
                  variant="outline"
                  size="sm"
                  onClick={onTest}
                  loading={testing}
                  disabled={!webhook.is_active}
                  title={webhook.is_active ? undefined : 'Turn the webhook on to test it'}
                >
                  <Send aria-hidden="true" />
                  Send test event
                </Button>
              </>
            )}
          </>
        }
      />
      <StatusFilter
        label="Filter deliveries by status"
        statuses={DELIVERY_STATUSES}
        value={status}
        onChange={(s) => onChange({ status: s, offset: undefined })}
      />

      {page.isError ? (
        <div className="p-4">
          <ProblemAlert error={page.error} />
        </div>
      ) : page.isPending ? (
        <div className="grid gap-2 p-4">
          <Skeleton className="h-9" />
          <Skeleton className="h-9" />
          <Skeleton className="h-9" />
        </div>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={Send}
          className="m-4"
          title={status ? `No ${status} deliveries` : 'No deliveries yet'}
          description={
            status
              ? 'Try another status.'
              : 'Send a test event, or change a record this webhook subscribes to.'
          }
        />
      ) : (
        <Table aria-label="Deliveries">
          <THead>
            <tr>
              <TH>Status</TH>
              <TH>Event</TH>
              <TH>Response</TH>
              <TH>Attempts</TH>
              <TH className="hidden md:table-cell">Duration</TH>
              <TH>When</TH>
              <TH className="hidden lg:table-cell">Response excerpt</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {rows.map((d) => (
              <TR
                key={d.id}
                data-testid="delivery-row"
                data-event={d.event_type}
                className="cursor-pointer"
                onClick={() => setOpen(d)}
              >
                <TD>
                  <DeliveryStatusChip status={d.status} />
                </TD>
                <TD>
                  <button
                    type="button"
                    className="cursor-pointer rounded font-mono text-xs hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                    aria-label={`Open delivery ${d.id} of ${d.event_type}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      setOpen(d);
                    }}
                  >
                    {d.event_type}
                  </button>
                </TD>
                <TD>
                  <HttpStatus status={d.response_status} />
                </TD>
                <TD className="text-xs">
                  {d.attempts}
                  {d.status === 'pending' && d.next_attempt_at && (
                    <span
                      className="block text-muted-foreground"
                      title={formatDateTime(d.next_attempt_at)}
                    >
                      next {formatRelative(d.next_attempt_at)}
                    </span>
                  )}
                </TD>
                <TD className="hidden text-xs md:table-cell">{formatDuration(d.duration_ms)}</TD>
                <TD className="text-xs whitespace-nowrap" title={formatDateTime(d.created_at)}>
                  {formatRelative(d.created_at)}
                </TD>
                <TD className="hidden max-w-64 truncate font-mono text-xs text-muted-foreground lg:table-cell">
                  {d.error ?? d.response_body ?? '—'}
                </TD>
                <TD>
                  {canEdit && (
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Redeliver ${d.id}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        redeliver.mutate(d);
                      }}
                    >
                      <RotateCw aria-hidden="true" />
                      Redeliver
                    </Button>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}

      {total > DELIVERY_PAGE_SIZE && (
        <div className="flex items-center justify-end gap-2 border-t border-border px-4 py-2 text-xs text-muted-foreground">
          <span>
            {offset + 1}–{Math.min(offset + rows.length, total)} of {total}
          </span>
          <Button
            variant="outline"
            size="sm"
            aria-label="Newer deliveries"
            disabled={offset === 0}
            onClick={() => onChange({ status, offset: Math.max(0, offset - DELIVERY_PAGE_SIZE) })}
          >
            <ChevronLeft aria-hidden="true" />
          </Button>
          <Button
            variant="outline"
            size="sm"
            aria-label="Older deliveries"
            disabled={offset + DELIVERY_PAGE_SIZE >= total}
            onClick={() => onChange({ status, offset: offset + DELIVERY_PAGE_SIZE })}
          >
            <ChevronRight aria-hidden="true" />
          </Button>
        </div>
      )}

      <DeliveryDialog
        projectId={projectId}
        webhookId={webhook.id}
        delivery={open}
        canEdit={canEdit}
        onOpenChange={(o) => !o && setOpen(null)}
      />
      <ReplayDialog
        projectId={projectId}
        webhookId={webhook.id}
        open={replayOpen}
        onOpenChange={setReplayOpen}
      />
    </Card>
  );
}
