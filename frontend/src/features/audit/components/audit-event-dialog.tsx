import { Filter } from 'lucide-react';
import { ActionChip, ActorChip } from '@/components/ui/change-chips';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { Dialog } from '@/components/ui/dialog';
import { RecordDiff } from '@/components/ui/record-diff';
import { formatDateTime } from '@/lib/utils';
import type { AuditEvent, AuditSearch } from '../types';
import { MetaItem } from '@/components/ui/meta-item';

interface AuditEventDialogProps {
  event: AuditEvent | null;
  names?: ReadonlyMap<string, string>;
  onOpenChange: (open: boolean) => void;
  onFilter: (filters: Partial<AuditSearch>) => void;
}

const title = (e: AuditEvent) =>
  e.kind === 'record' && e.collection
    ? `${e.action} ${e.collection}${e.record_id ? ` #${e.record_id}` : ''}`
    : e.action;

/** One change: who, when, from where, and a before/after diff of the record (or its details). */
export function AuditEventDialog({ event, names, onOpenChange, onFilter }: AuditEventDialogProps) {
  return (
    <Dialog
      open={event !== null}
      onOpenChange={onOpenChange}
      title={event ? title(event) : ''}
      description={event ? `Event ${event.id} · ${formatDateTime(event.created_at)}` : undefined}
      className="sm:max-w-3xl"
    >
      {event && (
        <div className="grid gap-5" data-testid="audit-event-detail">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-border bg-muted/30 p-4 sm:grid-cols-3">
            <MetaItem label="Action">
              <ActionChip action={event.action} />
            </MetaItem>
            <MetaItem label="Actor">
              <ActorChip actor={event.actor} names={names} />
            </MetaItem>
            <MetaItem label="When">
              <time dateTime={event.created_at} title={event.created_at}>
                {formatDateTime(event.created_at)}
              </time>
            </MetaItem>
            {event.collection && (
              <MetaItem label="Collection">
                <code className="font-mono text-xs">{event.collection}</code>
              </MetaItem>
            )}
            {event.record_id && (
              <MetaItem label="Record">
                <code className="font-mono text-xs">{event.record_id}</code>
              </MetaItem>
            )}
            <MetaItem label="IP address">{event.ip_address ?? '—'}</MetaItem>
            <MetaItem label="Request id">
              <code className="font-mono text-xs" title={event.request_id ?? undefined}>
                {event.request_id ?? '—'}
              </code>
            </MetaItem>
            <div className="col-span-2 grid min-w-0 gap-0.5">
              <dt className="text-xs text-muted-foreground">User agent</dt>
              <dd className="truncate text-sm" title={event.user_agent ?? undefined}>
                {event.user_agent ?? '—'}
              </dd>
            </div>
          </dl>
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" size="sm" onClick={() => onFilter({ action: event.action })}>
              <Filter aria-hidden="true" />
              Only {event.action}
            </Button>
            <Button
              variant="outline"
              size="sm"
              onClick={() =>
                onFilter({
                  actor_type: event.actor.type as AuditSearch['actor_type'],
                  actor: event.actor.id ?? undefined,
                })
              }
            >
              <Filter aria-hidden="true" />
              Only this actor
            </Button>
          </div>

          {event.kind === 'record' ? (
            <section className="grid gap-2" aria-label="Before and after">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h3 className="text-sm font-semibold">
                  {event.action === 'create'
                    ? 'Created with'
                    : event.action === 'delete'
                      ? 'Deleted record'
                      : `Changed ${event.changed?.length ?? 0} field${event.changed?.length === 1 ? '' : 's'}`}
                </h3>
                {event.collection && event.record_id && (
                  <Button
                    variant="outline"
                    size="sm"
                    onClick={() =>
                      onFilter({
                        action: undefined,
                        actor_type: undefined,
                        actor: undefined,
                        collection: event.collection ?? undefined,
                        record_id: event.record_id ?? undefined,
                      })
                    }
                  >
                    <Filter aria-hidden="true" />
                    All changes of this record
                  </Button>
                )}
              </div>
              <RecordDiff before={event.old_record} after={event.record} />
            </section>
          ) : (
            (event.meta || event.record || event.old_record) && (
              <CodeBlock
                label="Details"
                code={JSON.stringify(
                  event.meta ?? { before: event.old_record, after: event.record },
                  null,
                  2,
                )}
              />
            )
          )}
        </div>
      )}
    </Dialog>
  );
}
