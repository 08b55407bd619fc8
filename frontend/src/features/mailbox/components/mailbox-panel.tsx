import { useState } from 'react';
import { Inbox, RefreshCw, Trash2 } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import { useClearMailbox, useMailbox } from '../api/mailbox';
import type { MailboxMessage } from '../types';

interface MailboxPanelProps {
  projectId: string;
  selectedId: string | undefined;
  onSelect: (id: string | undefined) => void;
}

export function MailboxPanel({ projectId, selectedId, onSelect }: MailboxPanelProps) {
  const { data, refetch } = useMailbox(projectId);
  // The page polls by itself; only a click on Refresh shows the button busy.
  const [refreshing, setRefreshing] = useState(false);
  const clear = useClearMailbox(projectId);
  const [confirming, setConfirming] = useState(false);
  const messages = data.messages;
  const selected = messages.find((m) => m.id === selectedId) ?? messages[0];

  return (
    <>
      <PageHeader
        title="Mailbox"
        description="Emails this project sent while no SMTP server is configured: verification, magic-link, one-time code and password-reset mail. New mail shows up by itself."
        actions={
          <>
            <Button
              variant="outline"
              onClick={() => {
                setRefreshing(true);
                void refetch().finally(() => setRefreshing(false));
              }}
              loading={refreshing}
            >
              {!refreshing && <RefreshCw aria-hidden="true" />}
              Refresh
            </Button>
            <Button
              variant="outline"
              onClick={() => setConfirming(true)}
              disabled={messages.length === 0}
            >
              <Trash2 aria-hidden="true" />
              Clear all
            </Button>
          </>
        }
      />
      <Alert tone="info" className="mb-4">
        When <code className="font-mono text-xs">SMTP_URL</code> is configured, mail goes out to
        real inboxes and this box stays empty. Messages here hold live links and codes: treat them
        as secrets.
      </Alert>
      {messages.length === 0 ? (
        <EmptyState
          icon={Inbox}
          title="No messages"
          description="Trigger a password reset, a magic link or an email verification and the message shows up here."
        />
      ) : (
        <Card className="grid min-h-[32rem] grid-cols-1 overflow-hidden md:grid-cols-[22rem_1fr]">
          <ul
            aria-label="Messages"
            className="max-h-[40rem] divide-y divide-border overflow-y-auto border-b border-border md:border-r md:border-b-0"
          >
            {messages.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  aria-current={selected?.id === m.id ? 'true' : undefined}
                  data-testid="mailbox-message"
                  onClick={() => onSelect(m.id)}
                  className={cn(
                    'block w-full cursor-pointer px-4 py-3 text-left transition-colors hover:bg-muted/60',
                    selected?.id === m.id && 'bg-accent/60',
                  )}
                >
                  <div className="flex items-center justify-between gap-2">
                    <span className="truncate text-sm font-medium">{m.to}</span>
                    <span
                      className="shrink-0 text-xs text-muted-foreground"
                      title={formatDateTime(m.created_at)}
                    >
                      {formatRelative(m.created_at)}
                    </span>
                  </div>
                  <div className="mt-0.5 truncate text-sm">{m.subject}</div>
                  <Badge className="mt-1.5">{m.kind}</Badge>
                </button>
              </li>
            ))}
          </ul>
          {selected ? <MessageReader message={selected} /> : null}
        </Card>
      )}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Clear the mailbox"
        description={`All ${messages.length} messages will be deleted. Links in them keep working until they expire.`}
        confirmLabel="Clear all"
        pending={clear.isPending}
        onConfirm={() =>
          clear.mutate(undefined, {
            onSettled: () => {
              setConfirming(false);
              onSelect(undefined);
            },
          })
        }
      />
    </>
  );
}

function MessageReader({ message }: { message: MailboxMessage }) {
  const [view, setView] = useState<'html' | 'text'>(message.html ? 'html' : 'text');
  const showHtml = view === 'html' && Boolean(message.html);
  return (
    <article aria-label="Message" className="flex min-w-0 flex-col">
      <header className="space-y-1 border-b border-border px-5 py-4">
        <h2 className="text-base font-semibold" data-testid="mailbox-subject">
          {message.subject}
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-xs text-muted-foreground">
          <dt>To</dt>
          <dd className="text-foreground">{message.to}</dd>
          <dt>Sent</dt>
          <dd>{formatDateTime(message.created_at)}</dd>
          <dt>Kind</dt>
          <dd>{message.kind}</dd>
        </dl>
        {message.html && message.text && (
          <div role="tablist" aria-label="Format" className="flex gap-1 pt-2">
            {(['html', 'text'] as const).map((v) => (
              <button
                key={v}
                type="button"
                role="tab"
                aria-selected={view === v}
                onClick={() => setView(v)}
                className={cn(
                  'cursor-pointer rounded-md px-2.5 py-1 text-xs font-medium',
                  view === v ? 'bg-accent text-accent-foreground' : 'text-muted-foreground',
                )}
              >
                {v === 'html' ? 'HTML' : 'Plain text'}
              </button>
            ))}
          </div>
        )}
      </header>
      {showHtml ? (
        <iframe
          title={`Email: ${message.subject}`}
          sandbox=""
          srcDoc={message.html ?? ''}
          className="min-h-[26rem] w-full flex-1 bg-white"
        />
      ) : (
        <pre className="flex-1 overflow-auto p-5 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap">
          {message.text ?? ''}
        </pre>
      )}
    </article>
  );
}

export function MailboxSkeleton() {
  return (
    <PageSkeleton label="Loading mailbox" titleWidth="w-40">
      <Skeleton className="h-96 rounded-xl" />
    </PageSkeleton>
  );
}
