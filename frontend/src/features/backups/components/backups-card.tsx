import type { Backup } from '@backendify/client';
import { useNavigate } from '@tanstack/react-router';
import { Archive, Download, RotateCcw, Trash2, Upload } from 'lucide-react';
import { useRef, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { formatBytes } from '@/features/files/types';
import { errorMessage } from '@/lib/backend';
import { formatDateTime } from '@/lib/utils';
import {
  useCreateBackup,
  useDeleteBackup,
  useRestoreArchive,
  useRestoreBackup,
} from '../api/backup-mutations';
import { downloadCurrent, downloadStored, useBackups } from '../api/backups-query';

const STATUS_TONE = { ready: 'success', running: 'warning', failed: 'danger' } as const;

/** Back up now, download, the stored backups, and restores into a new project. */
export function BackupsCard({ projectId }: { projectId: string }) {
  const { data: backups = [], isPending } = useBackups(projectId);
  const create = useCreateBackup(projectId);
  const del = useDeleteBackup(projectId);
  const restore = useRestoreBackup(projectId);
  const restoreFile = useRestoreArchive();
  const navigate = useNavigate();
  const fileInput = useRef<HTMLInputElement>(null);
  const [downloading, setDownloading] = useState(false);
  const [toDelete, setToDelete] = useState<Backup | null>(null);
  const [toRestore, setToRestore] = useState<Backup | null>(null);

  const open = (id: string) =>
    void navigate({ to: '/projects/$projectId', params: { projectId: id } });
  const download = (run: () => Promise<void>) => {
    setDownloading(true);
    run()
      .catch((e: unknown) => toast.error(errorMessage(e)))
      .finally(() => setDownloading(false));
  };

  return (
    <Card>
      <CardHeader
        title="Backups"
        description="Archives of the schema, settings, records, files and role assignments. Secrets, API keys and sessions are left out."
        actions={
          <>
            <Button
              variant="outline"
              loading={downloading}
              onClick={() => download(() => downloadCurrent(projectId))}
            >
              <Download className="size-4" aria-hidden="true" />
              Download current
            </Button>
            <Button loading={create.isPending} onClick={() => create.mutate()}>
              <Archive className="size-4" aria-hidden="true" />
              Back up now
            </Button>
          </>
        }
      />
      <CardContent className="grid grid-cols-1 gap-4">
        {!isPending && backups.length === 0 ? (
          <EmptyState
            icon={Archive}
            title="No stored backups yet"
            description="Back up now, or set a schedule below."
          />
        ) : (
          <Table aria-label="Stored backups">
            <THead>
              <TR>
                <TH>Date</TH>
                <TH>Size</TH>
                <TH>Trigger</TH>
                <TH>Target</TH>
                <TH>Status</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {backups.map((b) => (
                <TR key={b.id} data-testid="backup-row">
                  <TD>{formatDateTime(b.created_at)}</TD>
                  <TD>{b.size_bytes === null ? '—' : formatBytes(b.size_bytes)}</TD>
                  <TD>{b.trigger === 'schedule' ? 'Scheduled' : 'Manual'}</TD>
                  <TD>{b.target}</TD>
                  <TD>
                    <Badge tone={STATUS_TONE[b.status]} title={b.error ?? undefined}>
                      {b.status}
                    </Badge>
                  </TD>
                  <TD className="text-right whitespace-nowrap">
                    <Button
                      variant="ghost"
                      size="sm"
                      disabled={b.status !== 'ready' || downloading}
                      aria-label={`Download backup of ${formatDateTime(b.created_at)}`}
                      onClick={() => download(() => downloadStored(projectId, b))}
                    >
                      <Download className="size-4" aria-hidden="true" />
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      disabled={b.status !== 'ready'}
                      aria-label={`Restore backup of ${formatDateTime(b.created_at)}`}
                      onClick={() => setToRestore(b)}
                    >
                      <RotateCcw className="size-4" aria-hidden="true" />
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Delete backup of ${formatDateTime(b.created_at)}`}
                      onClick={() => setToDelete(b)}
                    >
                      <Trash2 className="size-4" aria-hidden="true" />
                    </Button>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        <div className="flex flex-wrap items-center justify-between gap-4 border-t border-border pt-4">
          <div className="max-w-lg space-y-1">
            <p className="text-sm font-medium">Restore from file</p>
            <p className="text-sm text-muted-foreground">
              Creates a new project from a downloaded archive (.tar.gz); this project is not
              changed.
            </p>
          </div>
          <input
            ref={fileInput}
            id="restore-archive"
            type="file"
            accept=".tar.gz,.tgz,application/gzip"
            className="sr-only"
            aria-label="Backup archive to restore"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) restoreFile.mutate(file, { onSuccess: (p) => open(p.id) });
            }}
          />
          <Button
            variant="outline"
            loading={restoreFile.isPending}
            onClick={() => fileInput.current?.click()}
          >
            <Upload className="size-4" aria-hidden="true" />
            Restore from file
          </Button>
        </div>
      </CardContent>
      <ConfirmDialog
        open={toRestore !== null}
        onOpenChange={(o) => !o && setToRestore(null)}
        title="Restore backup"
        description={
          toRestore &&
          `A new project is created from the backup of ${formatDateTime(toRestore.created_at)}; this project is not changed.`
        }
        confirmLabel="Restore into a new project"
        destructive={false}
        pending={restore.isPending}
        onConfirm={() =>
          toRestore &&
          restore.mutate(toRestore, {
            onSuccess: (p) => {
              setToRestore(null);
              open(p.id);
            },
          })
        }
      />
      <ConfirmDialog
        open={toDelete !== null}
        onOpenChange={(o) => !o && setToDelete(null)}
        title="Delete backup"
        description={
          toDelete && `The backup of ${formatDateTime(toDelete.created_at)} is deleted for good.`
        }
        confirmLabel="Delete backup"
        pending={del.isPending}
        onConfirm={() => toDelete && del.mutate(toDelete, { onSuccess: () => setToDelete(null) })}
      />
    </Card>
  );
}
