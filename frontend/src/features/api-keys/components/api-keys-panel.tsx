import { useState } from 'react';
import { Ban, KeyRound, Plus, Trash2 } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { cn, formatDate, formatDateTime, formatRelative } from '@/lib/utils';
import { useDeleteApiKey, useRevokeApiKey } from '../api/api-key-mutations';
import { useApiKeys } from '../api/api-keys-query';
import {
  STATUS_FILTERS,
  apiKeyStatus,
  type ApiKey,
  type ApiKeyStatus,
  type StatusFilter,
} from '../types';
import { CreateApiKeyDialog } from './create-api-key-dialog';

const statusTone: Record<ApiKeyStatus, BadgeTone> = {
  active: 'success',
  revoked: 'danger',
  expired: 'warning',
};

interface ApiKeysPanelProps {
  projectId: string;
  status: StatusFilter;
  onStatusChange: (status: StatusFilter) => void;
}

export function ApiKeysPanel({ projectId, status, onStatusChange }: ApiKeysPanelProps) {
  const { data: keys } = useApiKeys(projectId);
  const [createOpen, setCreateOpen] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [deleting, setDeleting] = useState<ApiKey | null>(null);
  const revoke = useRevokeApiKey(projectId);
  const del = useDeleteApiKey(projectId);

  const counts = { all: keys.length, active: 0, revoked: 0, expired: 0 };
  for (const k of keys) counts[apiKeyStatus(k)] += 1;
  const visible = status === 'all' ? keys : keys.filter((k) => apiKeyStatus(k) === status);

  return (
    <>
      <PageHeader
        title="API Keys"
        description="Keys for calls without a signed-in user. Service keys are for trusted servers and pass every row policy; public keys may ship in apps and reach only what your policies allow the principal “API key”."
        actions={
          <Button onClick={() => setCreateOpen(true)}>
            <Plus aria-hidden="true" />
            Create API key
          </Button>
        }
      />

      {keys.length === 0 ? (
        <EmptyState
          icon={KeyRound}
          title="No API keys yet"
          description="Create a service key for your backend, scripts or CI, or a public key for a browser or mobile app."
          action={
            <Button onClick={() => setCreateOpen(true)}>
              <Plus aria-hidden="true" />
              Create API key
            </Button>
          }
        />
      ) : (
        <Card className="overflow-hidden">
          <div
            role="group"
            aria-label="Filter by status"
            className="flex flex-wrap gap-1 border-b border-border p-2"
          >
            {STATUS_FILTERS.map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={status === s}
                onClick={() => onStatusChange(s)}
                className={cn(
                  'cursor-pointer rounded-md px-3 py-1.5 text-sm capitalize transition-colors',
                  status === s
                    ? 'bg-accent font-medium text-accent-foreground'
                    : 'text-muted-foreground hover:bg-muted hover:text-foreground',
                )}
              >
                {s} <span className="ml-1 text-xs opacity-70">{counts[s]}</span>
              </button>
            ))}
          </div>
          {visible.length === 0 ? (
            <p className="px-5 py-10 text-center text-sm text-muted-foreground">
              No {status} keys.
            </p>
          ) : (
            <Table aria-label="API keys">
              <THead>
                <tr>
                  <TH>Name</TH>
                  <TH>Key</TH>
                  <TH>Kind</TH>
                  <TH>Status</TH>
                  <TH className="hidden md:table-cell">Expires</TH>
                  <TH className="hidden md:table-cell">Last used</TH>
                  <TH className="hidden lg:table-cell">Created</TH>
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                </tr>
              </THead>
              <TBody>
                {visible.map((k) => {
                  const st = apiKeyStatus(k);
                  return (
                    <TR key={k.id} data-testid="api-key-row" data-key-name={k.name}>
                      <TD className="font-medium">{k.name}</TD>
                      <TD>
                        <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">
                          {k.prefix}…
                        </code>
                      </TD>
                      <TD>
                        <Badge
                          tone={k.kind === 'service' ? 'warning' : 'neutral'}
                          data-testid="api-key-kind"
                          title={
                            k.kind === 'service'
                              ? 'Passes row policies: keep it on servers'
                              : 'Under your policies: safe in apps'
                          }
                        >
                          {k.kind}
                        </Badge>
                      </TD>
                      <TD>
                        <Badge tone={statusTone[st]} dot data-testid="api-key-status">
                          {st}
                        </Badge>
                      </TD>
                      <TD className="hidden text-muted-foreground md:table-cell">
                        {k.expires_at ? formatDate(k.expires_at) : 'Never'}
                      </TD>
                      <TD
                        className="hidden text-muted-foreground md:table-cell"
                        title={formatDateTime(k.last_used_at)}
                      >
                        {formatRelative(k.last_used_at)}
                      </TD>
                      <TD className="hidden text-muted-foreground lg:table-cell">
                        {formatDate(k.created_at)}
                      </TD>
                      <TD>
                        <div className="flex justify-end gap-1">
                          {st === 'active' && (
                            <Button
                              variant="outline"
                              size="sm"
                              onClick={() => setRevoking(k)}
                              aria-label={`Revoke ${k.name}`}
                            >
                              <Ban aria-hidden="true" />
                              Revoke
                            </Button>
                          )}
                          <Button
                            variant="ghost"
                            size="icon"
                            onClick={() => setDeleting(k)}
                            aria-label={`Delete ${k.name}`}
                            className="text-muted-foreground hover:text-destructive"
                          >
                            <Trash2 aria-hidden="true" />
                          </Button>
                        </div>
                      </TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          )}
        </Card>
      )}

      <CreateApiKeyDialog projectId={projectId} open={createOpen} onOpenChange={setCreateOpen} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(o) => !o && setRevoking(null)}
        title="Revoke API key"
        description={`Requests using “${revoking?.name ?? ''}” will be rejected immediately. This cannot be undone.`}
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        onConfirm={() =>
          revoking && revoke.mutate(revoking, { onSettled: () => setRevoking(null) })
        }
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete API key"
        description={`“${deleting?.name ?? ''}” will be removed from the list${deleting && !deleting.revoked ? ' and stop working immediately' : ''}.`}
        confirmLabel="Delete key"
        pending={del.isPending}
        onConfirm={() => deleting && del.mutate(deleting, { onSettled: () => setDeleting(null) })}
      />
    </>
  );
}

export function ApiKeysSkeleton() {
  return (
    <PageSkeleton label="Loading API keys" titleWidth="w-40">
      <Skeleton className="h-64 rounded-xl" />
    </PageSkeleton>
  );
}
