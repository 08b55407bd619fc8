import { useCallback, useRef, useState, type DragEvent } from 'react';
import {
  Eye,
  FolderOpen,
  LayoutGrid,
  Link2,
  List,
  Lock,
  MoreHorizontal,
  Plus,
  Settings2,
  ShieldCheck,
  Trash2,
  Upload,
} from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { writeClipboard } from '@/components/ui/copy-button';
import { EmptyState } from '@/components/ui/empty-state';
import { Menu, menuItemClasses, MenuSeparator } from '@/components/ui/menu';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '@/lib/backend';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import { useDeleteFile, useSignedUrl } from '../api/file-mutations';
import { bucketsQueryOptions, signUrl, useBucketFiles, useBuckets } from '../api/files-query';
import { fileKeys } from '../api/keys';
import { RESUMABLE_FROM_BYTES, resumableUpload, UploadError, uploadFile } from '../api/upload';
import { formatBytes, type Bucket, type FilesSearch, type StoredFile } from '../types';
import { BucketDialog } from './bucket-dialog';
import { BucketPoliciesDialog } from './bucket-policies-dialog';
import { FileThumb } from './file-thumb';
import { PreviewDialog } from './preview-dialog';
import { UploadList, type UploadItem } from './upload-list';

interface FilesPageProps {
  projectId: string;
  search: FilesSearch;
  onSearchChange: (next: Partial<FilesSearch>) => void;
  /** Developers and up upload and delete; admins manage buckets. */
  canEdit: boolean;
  canAdmin: boolean;
}

let uploadSeq = 0;

export function FilesPage({
  projectId,
  search,
  onSearchChange,
  canEdit,
  canAdmin,
}: FilesPageProps) {
  const { data: buckets } = useBuckets(projectId);
  const selected = buckets.find((b) => b.name === search.bucket) ?? buckets[0];
  const view = search.view ?? 'grid';
  const files = useBucketFiles(projectId, selected?.name);
  const queryClient = useQueryClient();
  const [bucketDialog, setBucketDialog] = useState<{ bucket: Bucket | null } | null>(null);
  const [policiesOf, setPoliciesOf] = useState<string | null>(null);
  const [preview, setPreview] = useState<StoredFile | null>(null);
  const [deleting, setDeleting] = useState<StoredFile | null>(null);
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const del = useDeleteFile(projectId);
  const sign = useSignedUrl(projectId);

  const patch = (key: string, next: Partial<UploadItem>) =>
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...next } : u)));

  const runUpload = useCallback(
    (key: string, bucket: string, file: File, refreshed = false) => {
      const onProgress = (progress: number) => patch(key, { progress });
      const job =
        file.size >= RESUMABLE_FROM_BYTES
          ? resumableUpload(projectId, bucket, file, onProgress)
          : uploadFile(projectId, bucket, file, onProgress);
      patch(key, { status: 'uploading', progress: 0, error: undefined, abort: job.abort });
      job.promise.then(
        () => {
          patch(key, { status: 'done', progress: 1, abort: undefined });
          void queryClient.invalidateQueries({ queryKey: fileKeys.files(projectId) });
          void queryClient.invalidateQueries({ queryKey: fileKeys.buckets(projectId) });
        },
        (e: unknown) => {
          // An expired access token: any call through the client refreshes it, then try again.
          if (e instanceof UploadError && e.status === 401 && !refreshed) {
            void queryClient.fetchQuery({ ...bucketsQueryOptions(projectId), staleTime: 0 }).then(
              () => runUpload(key, bucket, file, true),
              () => patch(key, { status: 'error', error: errorMessage(e), abort: undefined }),
            );
            return;
          }
          patch(key, { status: 'error', error: errorMessage(e), abort: undefined });
        },
      );
    },
    [projectId, queryClient],
  );

  const startUploads = useCallback(
    (picked: FileList | File[]) => {
      if (!selected || !canEdit) return;
      const bucket = selected.name;
      for (const file of Array.from(picked)) {
        const key = `u${++uploadSeq}`;
        const tooBig = file.size > selected.max_size_bytes;
        const item: UploadItem = {
          key,
          name: file.name,
          size: file.size,
          bucket,
          file,
          retryable: !tooBig,
          progress: 0,
          status: tooBig ? 'error' : 'uploading',
          error: tooBig
            ? `Larger than the bucket's limit of ${formatBytes(selected.max_size_bytes)}`
            : undefined,
        };
        setUploads((list) => [item, ...list]);
        if (!tooBig) runUpload(key, bucket, file);
      }
    },
    [selected, canEdit, runUpload],
  );

  async function copySigned(f: StoredFile, anchor?: HTMLElement | null) {
    try {
      const s = await sign.mutateAsync(f);
      const absolute = new URL(s.url, window.location.origin).toString();
      const ok = await writeClipboard(absolute, anchor ?? null);
      if (ok) toast.success(`Signed URL copied, valid until ${formatDateTime(s.expires_at)}`);
      else toast.error('Could not copy to the clipboard');
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  async function download(f: StoredFile) {
    try {
      const url = f.is_public ? f.download_url : (await signUrl(projectId, f.id)).url;
      const a = document.createElement('a');
      a.href = url;
      a.download = f.original_filename;
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  const dropHandlers =
    canEdit && selected
      ? {
          onDragEnter: (e: DragEvent) => {
            if (!e.dataTransfer.types.includes('Files')) return;
            e.preventDefault();
            dragDepth.current++;
            setDragging(true);
          },
          onDragOver: (e: DragEvent) => {
            if (!e.dataTransfer.types.includes('Files')) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
          },
          onDragLeave: () => {
            dragDepth.current = Math.max(0, dragDepth.current - 1);
            if (dragDepth.current === 0) setDragging(false);
          },
          onDrop: (e: DragEvent) => {
            e.preventDefault();
            dragDepth.current = 0;
            setDragging(false);
            if (e.dataTransfer.files.length) startUploads(e.dataTransfer.files);
          },
        }
      : {};

  const newBucket = canAdmin && (
    <Button
      variant={buckets.length ? 'outline' : 'primary'}
      onClick={() => setBucketDialog({ bucket: null })}
    >
      <Plus aria-hidden="true" />
      New bucket
    </Button>
  );

  const list = files.data ?? [];

  const fileMenu = (f: StoredFile) => (
    <Menu
      label={`Actions for ${f.original_filename}`}
      trigger={(props) => (
        <Button
          {...props}
          variant="ghost"
          size="icon"
          aria-label={`More actions for ${f.original_filename}`}
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
              setPreview(f);
            }}
          >
            <Eye aria-hidden="true" />
            Preview
          </button>
          <button
            type="button"
            role="menuitem"
            className={menuItemClasses}
            onClick={() => {
              close();
              void copySigned(f);
            }}
          >
            <Link2 aria-hidden="true" />
            Copy signed URL
          </button>
          {canEdit && (
            <>
              <MenuSeparator />
              <button
                type="button"
                role="menuitem"
                className={cn(menuItemClasses, 'text-destructive')}
                onClick={() => {
                  close();
                  setDeleting(f);
                }}
              >
                <Trash2 aria-hidden="true" />
                Delete
              </button>
            </>
          )}
        </>
      )}
    </Menu>
  );

  return (
    <div {...dropHandlers} className="relative" data-testid="files-dropzone">
      <PageHeader
        title="Files"
        description="Buckets of uploaded files on local disk or S3. Drop files anywhere on this page to upload them to the selected bucket."
        actions={buckets.length > 0 ? newBucket : undefined}
      />

      {buckets.length === 0 ? (
        <EmptyState
          icon={FolderOpen}
          title="No buckets yet"
          description="Create a bucket to upload files, choosing who may download them, how large they may be and which types are accepted."
          action={newBucket || undefined}
        />
      ) : (
        <div className="grid gap-6 lg:grid-cols-[15rem_minmax(0,1fr)]">
          <nav aria-label="Buckets" className="grid content-start gap-1">
            {buckets.map((b) => {
              const active = b.name === selected?.name;
              return (
                <button
                  key={b.id}
                  type="button"
                  data-testid="bucket-item"
                  aria-current={active ? 'true' : undefined}
                  onClick={() => onSearchChange({ bucket: b.name })}
                  className={cn(
                    'flex cursor-pointer items-center justify-between gap-2 rounded-lg px-3 py-2 text-left text-sm hover:bg-muted focus-visible:outline-2 focus-visible:outline-ring',
                    active && 'bg-accent text-accent-foreground hover:bg-accent',
                  )}
                >
                  <span className="flex min-w-0 items-center gap-2">
                    {!b.is_public && (
                      <Lock className="size-3.5 shrink-0 opacity-60" aria-label="private" />
                    )}
                    <span className="truncate font-mono">{b.name}</span>
                  </span>
                  <span className="shrink-0 text-xs text-muted-foreground tabular-nums">
                    {b.file_count}
                  </span>
                </button>
              );
            })}
          </nav>

          {selected && (
            <div className="grid min-w-0 content-start gap-4">
              <div className="flex flex-wrap items-center justify-between gap-3">
                <div className="min-w-0">
                  <h2 className="flex items-center gap-2 text-lg font-semibold">
                    <span className="truncate font-mono">{selected.name}</span>
                    <Badge tone={selected.is_public ? 'warning' : 'neutral'}>
                      {selected.is_public ? 'public' : 'private'}
                    </Badge>
                  </h2>
                  <p className="text-xs text-muted-foreground">
                    {selected.file_count} file{selected.file_count === 1 ? '' : 's'} ·{' '}
                    {formatBytes(selected.total_bytes)} · max {formatBytes(selected.max_size_bytes)}{' '}
                    per file ·{' '}
                    {selected.allowed_types.length ? selected.allowed_types.join(', ') : 'any type'}
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <div
                    className="flex rounded-md border border-border p-0.5"
                    role="group"
                    aria-label="View"
                  >
                    <Button
                      variant={view === 'grid' ? 'secondary' : 'ghost'}
                      size="icon"
                      aria-label="Grid view"
                      aria-pressed={view === 'grid'}
                      onClick={() => onSearchChange({ view: 'grid' })}
                    >
                      <LayoutGrid aria-hidden="true" />
                    </Button>
                    <Button
                      variant={view === 'list' ? 'secondary' : 'ghost'}
                      size="icon"
                      aria-label="List view"
                      aria-pressed={view === 'list'}
                      onClick={() => onSearchChange({ view: 'list' })}
                    >
                      <List aria-hidden="true" />
                    </Button>
                  </div>
                  {canAdmin && (
                    <Button variant="outline" onClick={() => setBucketDialog({ bucket: selected })}>
                      <Settings2 aria-hidden="true" />
                      Bucket settings
                    </Button>
                  )}
                  {canAdmin && (
                    <Button variant="outline" onClick={() => setPoliciesOf(selected.name)}>
                      <ShieldCheck aria-hidden="true" />
                      Policies
                      {selected.policies.length > 0 && (
                        <span className="text-xs text-muted-foreground tabular-nums">
                          {selected.policies.length}
                        </span>
                      )}
                    </Button>
                  )}
                  {canEdit && (
                    <>
                      <input
                        ref={input}
                        type="file"
                        multiple
                        className="sr-only"
                        tabIndex={-1}
                        aria-label="Choose files to upload"
                        data-testid="file-input"
                        accept={selected.allowed_types.join(',') || undefined}
                        onChange={(e) => {
                          if (e.target.files?.length) startUploads(e.target.files);
                          e.target.value = '';
                        }}
                      />
                      <Button onClick={() => input.current?.click()}>
                        <Upload aria-hidden="true" />
                        Upload files
                      </Button>
                    </>
                  )}
                </div>
              </div>

              <UploadList
                items={uploads}
                onDismiss={(key) => setUploads((l) => l.filter((u) => u.key !== key))}
                onRetry={(u) => runUpload(u.key, u.bucket, u.file)}
                onClear={() => setUploads((l) => l.filter((u) => u.status === 'uploading'))}
              />

              {files.isPending ? (
                <Skeleton className="h-64 rounded-xl" />
              ) : files.isError ? (
                <p className="text-sm text-destructive" role="alert">
                  {errorMessage(files.error)}
                </p>
              ) : list.length === 0 ? (
                <EmptyState
                  icon={Upload}
                  title="This bucket is empty"
                  description={
                    canEdit
                      ? 'Drop files here or use “Upload files”.'
                      : 'Nothing has been uploaded yet.'
                  }
                />
              ) : view === 'grid' ? (
                <ul
                  className="grid grid-cols-[repeat(auto-fill,minmax(10rem,1fr))] gap-3"
                  aria-label="Files"
                >
                  {list.map((f) => (
                    <li key={f.id} data-testid="file-card" data-file-name={f.original_filename}>
                      <Card className="group overflow-hidden">
                        <button
                          type="button"
                          className="block w-full cursor-pointer focus-visible:outline-2 focus-visible:outline-ring"
                          onClick={() => setPreview(f)}
                          aria-label={`Preview ${f.original_filename}`}
                        >
                          <FileThumb
                            projectId={projectId}
                            file={f}
                            className="aspect-square w-full"
                          />
                        </button>
                        <div className="flex items-center gap-1 p-2">
                          <div className="min-w-0 flex-1">
                            <p className="truncate text-sm font-medium" title={f.original_filename}>
                              {f.original_filename}
                            </p>
                            <p className="text-xs text-muted-foreground">
                              {formatBytes(f.size_bytes)} · {formatRelative(f.created_at)}
                            </p>
                          </div>
                          {fileMenu(f)}
                        </div>
                      </Card>
                    </li>
                  ))}
                </ul>
              ) : (
                <Card className="overflow-hidden">
                  <Table aria-label="Files">
                    <THead>
                      <tr>
                        <TH className="w-14">
                          <span className="sr-only">Thumbnail</span>
                        </TH>
                        <TH>Name</TH>
                        <TH>Type</TH>
                        <TH className="text-right">Size</TH>
                        <TH className="hidden md:table-cell">Uploaded</TH>
                        <TH>
                          <span className="sr-only">Actions</span>
                        </TH>
                      </tr>
                    </THead>
                    <TBody>
                      {list.map((f) => (
                        <TR key={f.id} data-testid="file-row" data-file-name={f.original_filename}>
                          <TD>
                            <FileThumb
                              projectId={projectId}
                              file={f}
                              className="size-10 rounded-md border border-border"
                            />
                          </TD>
                          <TD className="max-w-xs">
                            <button
                              type="button"
                              className="cursor-pointer truncate text-left font-medium hover:underline"
                              onClick={() => setPreview(f)}
                            >
                              {f.original_filename}
                            </button>
                          </TD>
                          <TD className="font-mono text-xs">{f.content_type}</TD>
                          <TD className="text-right text-xs tabular-nums">
                            {formatBytes(f.size_bytes)}
                          </TD>
                          <TD
                            className="hidden text-xs text-muted-foreground md:table-cell"
                            title={formatDateTime(f.created_at)}
                          >
                            {formatRelative(f.created_at)}
                          </TD>
                          <TD className="text-right">{fileMenu(f)}</TD>
                        </TR>
                      ))}
                    </TBody>
                  </Table>
                </Card>
              )}
            </div>
          )}
        </div>
      )}

      {dragging && (
        <div
          aria-hidden="true"
          className="pointer-events-none fixed inset-0 z-40 flex items-center justify-center bg-primary/10 backdrop-blur-[1px]"
        >
          <div className="rounded-xl border-2 border-dashed border-primary bg-card px-8 py-6 text-center shadow-lg">
            <Upload className="mx-auto mb-2 size-6 text-primary" />
            <p className="text-sm font-medium">Drop to upload to “{selected?.name}”</p>
          </div>
        </div>
      )}

      <BucketDialog
        key={bucketDialog?.bucket?.id ?? 'new'}
        projectId={projectId}
        bucket={bucketDialog?.bucket ?? null}
        open={bucketDialog !== null}
        onOpenChange={(o) => !o && setBucketDialog(null)}
        onSaved={(b) => onSearchChange({ bucket: b.name })}
        onDeleted={() => onSearchChange({ bucket: undefined })}
        canDelete={canAdmin}
      />
      <BucketPoliciesDialog
        projectId={projectId}
        bucketName={policiesOf}
        onClose={() => setPoliciesOf(null)}
      />
      <PreviewDialog
        projectId={projectId}
        file={preview}
        onClose={() => setPreview(null)}
        onCopySigned={(f) => void copySigned(f, document.activeElement as HTMLElement | null)}
        copying={sign.isPending}
        onDownload={(f) => void download(f)}
        onDelete={(f) => setDeleting(f)}
        canEdit={canEdit}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete file"
        description={`“${deleting?.original_filename ?? ''}” is removed from storage. Signed links to it stop working. This cannot be undone.`}
        confirmLabel="Delete file"
        pending={del.isPending}
        onConfirm={() =>
          deleting &&
          del.mutate(deleting, {
            onSuccess: () => {
              if (preview?.id === deleting.id) setPreview(null);
            },
            onSettled: () => setDeleting(null),
          })
        }
      />
    </div>
  );
}

export function FilesSkeleton() {
  return (
    <PageSkeleton label="Loading files" titleWidth="w-32">
      <div className="grid gap-6 lg:grid-cols-[15rem_minmax(0,1fr)]">
        <Skeleton className="h-48 rounded-xl" />
        <Skeleton className="h-96 rounded-xl" />
      </div>
    </PageSkeleton>
  );
}
