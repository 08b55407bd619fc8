import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { RealtimeEvent } from '@backendify/client';
import { Pause, Play, Plug, Radio, Trash2 } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Select } from '@/components/ui/input';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { backend } from '@/lib/backend';
import type { Collection } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import {
  realtimeConnectionsQueryOptions,
  type RealtimeConnectionInfo,
} from '../api/realtime-query';

const TAIL_SIZE = 100;

interface TailEntry {
  key: string;
  at: Date;
  event: RealtimeEvent;
}

const EVENT_TONES: Record<RealtimeEvent['type'], BadgeTone> = {
  'record.created': 'success',
  'record.updated': 'accent',
  'record.deleted': 'danger',
};

/**
 * Realtime inspector: the sockets connected to this API process for the project (who, what they
 * subscribe to, how far behind they are) and a live tail of the record changes it streams.
 */
export function RealtimePage({
  projectId,
  collections,
}: {
  projectId: string;
  collections: Collection[];
}) {
  return (
    <>
      <PageHeader
        title="Realtime"
        description="Clients connected over WebSocket to this API process, what they subscribe to and how far behind they are, and a live tail of record changes."
      />
      <div className="grid gap-6">
        <Connections projectId={projectId} />
        <EventTail projectId={projectId} collections={collections} />
      </div>
    </>
  );
}

function principalLabel(p: RealtimeConnectionInfo['principal']): string {
  switch (p.kind) {
    case 'admin':
      return `Member${p.role ? ` (${p.role})` : ''}`;
    case 'app_user':
      return 'App user';
    case 'api_key':
      return 'API key';
    case 'anonymous':
      return 'Anonymous';
    default:
      return p.kind;
  }
}

function since(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function Connections({ projectId }: { projectId: string }) {
  const query = useQuery(realtimeConnectionsQueryOptions(projectId));
  const now = query.dataUpdatedAt || Date.now();
  const connections = query.data?.connections ?? [];
  return (
    <Card className="overflow-hidden" data-testid="realtime-connections">
      <CardHeader
        title="Connected clients"
        description="Sockets on the API process that answered, refreshed every 2 seconds. With several processes, each lists its own."
        actions={
          query.data && (
            <div className="flex flex-wrap gap-2 text-xs text-muted-foreground">
              <Badge data-testid="realtime-socket-count">
                {query.data.process.sockets} socket{query.data.process.sockets === 1 ? '' : 's'}
              </Badge>
              <Badge>
                {query.data.process.subscriptions} subscription
                {query.data.process.subscriptions === 1 ? '' : 's'}
              </Badge>
              {query.data.process.position && (
                <Badge title="The change-log position this process has streamed up to">
                  at event {query.data.process.position}
                </Badge>
              )}
            </div>
          )
        }
      />
      {query.isError && !query.data ? (
        <div className="p-4">
          <ProblemAlert error={query.error} />
        </div>
      ) : query.isPending ? (
        <div className="space-y-px p-4">
          <Skeleton className="h-9" />
          <Skeleton className="h-9 opacity-60" />
        </div>
      ) : connections.length === 0 ? (
        <EmptyState
          className="m-4"
          icon={Plug}
          title="No clients connected"
          description="Apps subscribe with @backendify/client's realtime.subscribe, or any WebSocket to /api/realtime?project=…"
        />
      ) : (
        <div className="overflow-x-auto">
          <Table>
            <THead>
              <TR>
                <TH>Client</TH>
                <TH>Principal</TH>
                <TH>Subscriptions</TH>
                <TH className="text-right">Lag</TH>
                <TH className="text-right">Connected</TH>
              </TR>
            </THead>
            <TBody>
              {connections.map((c) => {
                const pending = c.subscriptions.reduce((n, s) => n + s.pending_events, 0);
                return (
                  <TR key={c.id} data-testid="realtime-connection">
                    <TD className="max-w-[16rem] align-top">
                      <div className="font-mono text-xs">#{c.id}</div>
                      <div
                        className="truncate text-xs text-muted-foreground"
                        title={c.user_agent ?? ''}
                      >
                        {c.ip ?? 'unknown address'}
                        {c.user_agent ? ` · ${c.user_agent}` : ''}
                      </div>
                    </TD>
                    <TD className="align-top">
                      <div className="text-sm">{principalLabel(c.principal)}</div>
                      {c.principal.id && (
                        <code className="font-mono text-xs break-all text-muted-foreground">
                          {c.principal.id}
                        </code>
                      )}
                    </TD>
                    <TD className="align-top">
                      {c.subscriptions.length === 0 ? (
                        <span className="text-xs text-muted-foreground">none</span>
                      ) : (
                        <ul className="flex flex-wrap gap-1">
                          {c.subscriptions.map((s) => (
                            <li key={s.id}>
                              <Badge
                                tone={s.live ? 'neutral' : 'warning'}
                                title={`${s.live ? 'live' : 'catching up'}; last event ${s.last_event_id ?? '—'}${s.filter ? '; filtered' : ''}`}
                              >
                                {s.collection}
                                {s.filter && <span className="opacity-70">(filter)</span>}
                                {!s.live && <span>· catching up</span>}
                              </Badge>
                            </li>
                          ))}
                        </ul>
                      )}
                    </TD>
                    <TD className="text-right align-top text-xs tabular-nums">
                      <div className={cn(pending > 0 && 'font-medium text-warning')}>
                        {pending} event{pending === 1 ? '' : 's'} queued
                      </div>
                      <div className="text-muted-foreground">{bytes(c.buffered_bytes)} unsent</div>
                    </TD>
                    <TD className="text-right align-top text-xs whitespace-nowrap text-muted-foreground tabular-nums">
                      {since(c.connected_at, now)}
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </div>
      )}
    </Card>
  );
}

/** Subscribes the console to every collection and keeps the newest events. */
function useEventTail(projectId: string, collections: string[], paused: boolean) {
  const [entries, setEntries] = useState<TailEntry[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const names = collections.join(',');

  useEffect(() => {
    const realtime = backend.project(projectId).realtime;
    const stops = names
      .split(',')
      .filter(Boolean)
      .map((collection) =>
        realtime.subscribe(collection, {
          onEvent: (event) => {
            if (pausedRef.current) return;
            setEntries((prev) =>
              [
                { key: `${event.event_id}:${event.collection}`, at: new Date(), event },
                ...prev,
              ].slice(0, TAIL_SIZE),
            );
          },
        }),
      );
    return () => stops.forEach((stop) => stop());
  }, [projectId, names]);

  return { entries, clear: () => setEntries([]) };
}

function EventTail({ projectId, collections }: { projectId: string; collections: Collection[] }) {
  const [paused, setPaused] = useState(false);
  const [only, setOnly] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const names = collections.map((c) => c.name).sort();
  const tail = useEventTail(projectId, names, paused);
  const shown = only ? tail.entries.filter((e) => e.event.collection === only) : tail.entries;

  return (
    <Card className="overflow-hidden" data-testid="realtime-tail">
      <CardHeader
        title="Live events"
        description={`The newest ${TAIL_SIZE} record changes of every collection, as this console receives them.`}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <Select
              aria-label="Collection"
              value={only}
              onChange={(e) => setOnly(e.target.value)}
              className="h-8 !w-44 text-xs"
            >
              <option value="">All collections</option>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
            <Button variant="outline" size="sm" onClick={() => setPaused(!paused)}>
              {paused ? <Play aria-hidden="true" /> : <Pause aria-hidden="true" />}
              {paused ? 'Resume' : 'Pause'}
            </Button>
            <Button variant="ghost" size="sm" onClick={tail.clear} disabled={!tail.entries.length}>
              <Trash2 aria-hidden="true" />
              Clear
            </Button>
          </div>
        }
      />
      {shown.length === 0 ? (
        <EmptyState
          className="m-4"
          icon={Radio}
          title={paused ? 'Paused' : 'Waiting for changes'}
          description="Create, edit or delete a record (here, from an app, or with curl) and it appears at once."
        />
      ) : (
        <ol className="max-h-[28rem] divide-y divide-border overflow-y-auto" aria-label="Events">
          {shown.map(({ key, at, event }) => (
            <li key={key} data-testid="realtime-event">
              <button
                type="button"
                aria-expanded={open === key}
                onClick={() => setOpen(open === key ? null : key)}
                className="flex w-full cursor-pointer items-center gap-3 px-4 py-2 text-left text-sm hover:bg-muted/40"
              >
                <span className="w-20 shrink-0 font-mono text-xs text-muted-foreground tabular-nums">
                  {at.toLocaleTimeString()}
                </span>
                <Badge tone={EVENT_TONES[event.type]} className="w-32 justify-center">
                  {event.type}
                </Badge>
                <span className="font-medium">{event.collection}</span>
                <code className="min-w-0 truncate font-mono text-xs text-muted-foreground">
                  id {String(event.record.id ?? '—')}
                </code>
                {event.reason === 'left_view' && <Badge tone="warning">left view</Badge>}
                <span className="ml-auto font-mono text-xs text-muted-foreground">
                  #{event.event_id}
                </span>
              </button>
              {open === key && (
                <pre className="overflow-x-auto bg-muted/40 px-4 py-3 font-mono text-xs">
                  {JSON.stringify({ record: event.record, old_record: event.old_record }, null, 2)}
                </pre>
              )}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

export function RealtimeSkeleton() {
  return (
    <PageSkeleton label="Loading realtime" titleWidth="w-40">
      <div className="grid gap-6">
        <Skeleton className="h-48 rounded-xl" />
        <Skeleton className="h-72 rounded-xl" />
      </div>
    </PageSkeleton>
  );
}
