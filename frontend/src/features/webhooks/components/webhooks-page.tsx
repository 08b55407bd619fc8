import { useState } from 'react';
import {
  KeyRound,
  MoreHorizontal,
  Pencil,
  Plus,
  Send,
  Trash2,
  Webhook as WebhookIcon,
} from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Menu, menuItemClasses, MenuSeparator } from '@/components/ui/menu';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { Collection } from '@/lib/schema-meta';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import {
  useDeleteWebhook,
  useRotateSecret,
  useTestWebhook,
  useUpdateWebhook,
} from '../api/webhook-mutations';
import { useWebhooks } from '../api/webhooks-query';
import type { DeliveryStatus, Webhook, WebhooksSearch } from '../types';
import { DeliveriesPanel } from './deliveries-panel';
import { DeliveryStatusChip } from './delivery-chips';
import { SecretDialog } from './secret-reveal';
import { VerifyPanel } from './verify-panel';
import { WebhookDialog } from './webhook-dialog';

interface WebhooksPageProps {
  projectId: string;
  collections: Collection[];
  search: WebhooksSearch;
  onSearchChange: (next: Partial<WebhooksSearch>) => void;
  /** Developers and up manage webhooks; viewers read them. */
  canEdit: boolean;
}

function EventChips({ events }: { events: string[] }) {
  const shown = events.slice(0, 3);
  return (
    <span className="flex flex-wrap gap-1">
      {shown.map((e) => (
        <Badge key={e} tone={e === '*' ? 'accent' : 'neutral'} className="font-mono">
          {e === '*' ? 'all events' : e}
        </Badge>
      ))}
      {events.length > shown.length && (
        <Badge tone="neutral" title={events.slice(3).join(', ')}>
          +{events.length - shown.length}
        </Badge>
      )}
    </span>
  );
}

export function WebhooksPage({
  projectId,
  collections,
  search,
  onSearchChange,
  canEdit,
}: WebhooksPageProps) {
  const { data: webhooks } = useWebhooks(projectId);
  const [dialog, setDialog] = useState<{ webhook: Webhook | null } | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [rotating, setRotating] = useState<Webhook | null>(null);
  const [rotated, setRotated] = useState<{ name: string; secret: string } | null>(null);
  const update = useUpdateWebhook(projectId, { inline: true });
  const del = useDeleteWebhook(projectId);
  const rotate = useRotateSecret(projectId);
  const test = useTestWebhook(projectId);

  const selected = webhooks.find((w) => w.id === search.webhook) ?? webhooks[0];
  const select = (w: Webhook) =>
    onSearchChange({ webhook: w.id, status: undefined, offset: undefined });
  const setActive = (w: Webhook, is_active: boolean) =>
    update.mutate({ id: w.id, body: { is_active } });

  const newButton = canEdit && (
    <Button onClick={() => setDialog({ webhook: null })}>
      <Plus aria-hidden="true" />
      New webhook
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Signed HTTP callbacks when records, collections, fields or app-user sign-ins change. Every event is delivered at least once, retried with backoff until the endpoint answers 2xx."
        actions={webhooks.length > 0 ? newButton : undefined}
      />

      <div className="grid grid-cols-1 gap-6">
        {webhooks.length === 0 ? (
          <EmptyState
            icon={WebhookIcon}
            title="No webhooks yet"
            description="Create one to have Backendify POST an event to your server whenever data or the schema changes."
            action={newButton || undefined}
          />
        ) : (
          <Card className="overflow-hidden">
            <Table aria-label="Webhooks">
              <THead>
                <tr>
                  <TH className="w-16">Active</TH>
                  <TH>Endpoint</TH>
                  <TH>Events</TH>
                  <TH className="hidden lg:table-cell">Collections</TH>
                  <TH className="hidden md:table-cell">Last delivery</TH>
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                </tr>
              </THead>
              <TBody>
                {webhooks.map((w) => {
                  const isSelected = w.id === selected?.id;
                  return (
                    <TR
                      key={w.id}
                      data-testid="webhook-row"
                      data-webhook-name={w.name}
                      aria-selected={isSelected}
                      className={cn(
                        'cursor-pointer',
                        isSelected && 'bg-accent/60 hover:bg-accent/60',
                      )}
                      onClick={() => select(w)}
                    >
                      <TD onClick={(e) => e.stopPropagation()}>
                        <Switch
                          id={`webhook-active-${w.id}`}
                          checked={w.is_active}
                          disabled={!canEdit || update.isPending}
                          onCheckedChange={(on) => setActive(w, on)}
                          aria-label={`Active: ${w.name}`}
                        />
                      </TD>
                      <TD className="max-w-md">
                        <button
                          type="button"
                          className="flex cursor-pointer items-center gap-2 rounded text-left font-medium hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                          onClick={(e) => {
                            e.stopPropagation();
                            select(w);
                          }}
                          aria-current={isSelected ? 'true' : undefined}
                        >
                          {w.name}
                        </button>
                        <span className="flex items-center gap-2">
                          <code
                            className="block truncate font-mono text-xs text-muted-foreground"
                            title={w.url}
                          >
                            {w.url}
                          </code>
                          {!w.is_active && w.disabled_reason && (
                            <Badge tone="danger" data-testid="webhook-disabled">
                              disabled
                            </Badge>
                          )}
                          {!w.is_active && !w.disabled_reason && (
                            <Badge tone="neutral">paused</Badge>
                          )}
                        </span>
                      </TD>
                      <TD>
                        <EventChips events={w.events} />
                      </TD>
                      <TD className="hidden text-xs lg:table-cell">
                        {w.collections.length === 0 ? (
                          <span className="text-muted-foreground">All</span>
                        ) : (
                          <span className="font-mono">{w.collections.join(', ')}</span>
                        )}
                      </TD>
                      <TD className="hidden md:table-cell">
                        {w.last_status ? (
                          <span
                            className="flex items-center gap-2 text-xs whitespace-nowrap"
                            title={formatDateTime(w.last_delivery_at)}
                          >
                            <DeliveryStatusChip status={w.last_status} />
                            {formatRelative(w.last_delivery_at)}
                          </span>
                        ) : (
                          <span className="text-xs text-muted-foreground">Never</span>
                        )}
                        {w.consecutive_failures > 0 && (
                          <span className="block text-xs text-destructive">
                            {w.consecutive_failures} failed in a row
                          </span>
                        )}
                      </TD>
                      <TD onClick={(e) => e.stopPropagation()}>
                        {canEdit && (
                          <div className="flex justify-end gap-1">
                            <Button
                              variant="outline"
                              size="sm"
                              aria-label={`Test ${w.name}`}
                              disabled={!w.is_active}
                              loading={test.isPending && test.variables?.id === w.id}
                              onClick={() => test.mutate(w)}
                            >
                              <Send aria-hidden="true" />
                              Test
                            </Button>
                            <Menu
                              label={`Actions for ${w.name}`}
                              trigger={(props) => (
                                <Button
                                  {...props}
                                  variant="ghost"
                                  size="icon"
                                  aria-label={`More actions for ${w.name}`}
                                >
                                  <MoreHorizontal aria-hidden="true" />
                                </Button>
                              )}
                            >
                              {(close) => (
                                <>
                                  <button
                                    type="button"
                                    role="menuitem"
                                    className={menuItemClasses}
                                    onClick={() => {
                                      close();
                                      setDialog({ webhook: w });
                                    }}
                                  >
                                    <Pencil aria-hidden="true" />
                                    Edit
                                  </button>
                                  <button
                                    type="button"
                                    role="menuitem"
                                    className={menuItemClasses}
                                    onClick={() => {
                                      close();
                                      setRotating(w);
                                    }}
                                  >
                                    <KeyRound aria-hidden="true" />
                                    Rotate secret
                                  </button>
                                  <MenuSeparator />
                                  <button
                                    type="button"
                                    role="menuitem"
                                    className={cn(menuItemClasses, 'text-destructive')}
                                    onClick={() => {
                                      close();
                                      setDeleting(w);
                                    }}
                                  >
                                    <Trash2 aria-hidden="true" />
                                    Delete
                                  </button>
                                </>
                              )}
                            </Menu>
                          </div>
                        )}
                      </TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          </Card>
        )}

        {selected && !selected.is_active && selected.disabled_reason && (
          <Alert tone="danger" title={`“${selected.name}” was disabled by Backendify`}>
            <p data-testid="disabled-reason">{selected.disabled_reason}</p>
            <p className="mt-1">
              No events are sent to it until it is turned back on. Fix the receiver first; turning
              it on clears the failure count.
            </p>
            {canEdit && (
              <Button
                size="sm"
                className="mt-2"
                loading={update.isPending}
                onClick={() => setActive(selected, true)}
              >
                Turn back on
              </Button>
            )}
          </Alert>
        )}

        {selected && (
          <DeliveriesPanel
            key={selected.id}
            projectId={projectId}
            webhook={selected}
            status={search.status}
            offset={search.offset ?? 0}
            canEdit={canEdit}
            onChange={(next: { status?: DeliveryStatus; offset?: number }) =>
              onSearchChange({ webhook: selected.id, ...next })
            }
            onTest={() => test.mutate(selected)}
            testing={test.isPending}
          />
        )}

        <VerifyPanel />
      </div>

      <WebhookDialog
        projectId={projectId}
        collections={collections}
        webhook={dialog?.webhook ?? null}
        open={dialog !== null}
        onOpenChange={(o) => !o && setDialog(null)}
        onCreated={(w) => onSearchChange({ webhook: w.id, status: undefined, offset: undefined })}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete webhook"
        description={`“${deleting?.name ?? ''}” and its delivery log will be deleted. Pending retries stop. This cannot be undone.`}
        confirmLabel="Delete webhook"
        pending={del.isPending}
        onConfirm={() =>
          deleting &&
          del.mutate(deleting, {
            onSuccess: () => {
              if (search.webhook === deleting.id) onSearchChange({ webhook: undefined });
            },
            onSettled: () => setDeleting(null),
          })
        }
      />
      <ConfirmDialog
        open={rotating !== null}
        onOpenChange={(o) => !o && setRotating(null)}
        title="Rotate signing secret"
        description={`A new secret is generated for “${rotating?.name ?? ''}” and the old one stops working at once, so deliveries fail verification until the receiver has the new one.`}
        confirmLabel="Rotate secret"
        pending={rotate.isPending}
        onConfirm={() =>
          rotating &&
          rotate.mutate(rotating, {
            onSuccess: (r) => setRotated({ name: rotating.name, secret: r.secret }),
            onSettled: () => setRotating(null),
          })
        }
      />
      <SecretDialog
        title={`New secret for “${rotated?.name ?? ''}”`}
        secret={rotated?.secret ?? null}
        onClose={() => setRotated(null)}
      />
    </>
  );
}

export function WebhooksSkeleton() {
  return (
    <PageSkeleton label="Loading webhooks" titleWidth="w-40">
      <Skeleton className="mb-6 h-40 rounded-xl" />
      <Skeleton className="h-64 rounded-xl" />
    </PageSkeleton>
  );
}
