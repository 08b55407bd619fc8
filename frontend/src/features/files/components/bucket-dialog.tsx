import { useState, type FormEvent } from 'react';
import { Trash2 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { ApiError } from '@/lib/backend';
import { useCreateBucket, useDeleteBucket, useUpdateBucket } from '../api/file-mutations';
import { formatBytes, type Bucket } from '../types';

const MB = 1024 * 1024;
const NAME_RE = /^[a-z0-9_-]{1,63}$/;
const TYPE_RE = /^[a-z0-9.+-]+\/(\*|[a-z0-9.+-]+)$/i;

interface BucketDialogProps {
  projectId: string;
  /** The bucket whose settings are edited; null creates one. */
  bucket: Bucket | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved?: (b: Bucket) => void;
  onDeleted?: (b: Bucket) => void;
  canDelete: boolean;
}

export function BucketDialog({
  projectId,
  bucket,
  open,
  onOpenChange,
  onSaved,
  onDeleted,
  canDelete,
}: BucketDialogProps) {
  const [confirming, setConfirming] = useState(false);
  const del = useDeleteBucket(projectId);
  return (
    <>
      <Dialog
        open={open && !confirming}
        onOpenChange={onOpenChange}
        title={bucket ? `Bucket settings: ${bucket.name}` : 'Create bucket'}
        description={
          bucket
            ? `${bucket.file_count} file${bucket.file_count === 1 ? '' : 's'}, ${formatBytes(bucket.total_bytes)}.`
            : 'Files are grouped in buckets; each has its own visibility, size limit and allowed types.'
        }
      >
        <BucketForm
          projectId={projectId}
          bucket={bucket}
          onCancel={() => onOpenChange(false)}
          onSaved={(b) => {
            onSaved?.(b);
            onOpenChange(false);
          }}
          onDelete={bucket && canDelete ? () => setConfirming(true) : undefined}
        />
      </Dialog>
      <ConfirmDialog
        open={open && confirming && bucket !== null}
        onOpenChange={(o) => !o && setConfirming(false)}
        title={`Delete bucket “${bucket?.name ?? ''}”`}
        description={
          bucket && bucket.file_count > 0
            ? `The bucket still holds ${bucket.file_count} file${bucket.file_count === 1 ? '' : 's'} (${formatBytes(bucket.total_bytes)}). They are deleted with it (force). This cannot be undone.`
            : 'The empty bucket is deleted. This cannot be undone.'
        }
        confirmLabel={bucket && bucket.file_count > 0 ? 'Delete bucket and files' : 'Delete bucket'}
        pending={del.isPending}
        onConfirm={() =>
          bucket &&
          del.mutate(bucket, {
            onSuccess: () => {
              onDeleted?.(bucket);
              setConfirming(false);
              onOpenChange(false);
            },
          })
        }
      />
    </>
  );
}

function BucketForm({
  projectId,
  bucket,
  onCancel,
  onSaved,
  onDelete,
}: {
  projectId: string;
  bucket: Bucket | null;
  onCancel: () => void;
  onSaved: (b: Bucket) => void;
  onDelete?: () => void;
}) {
  const [name, setName] = useState(bucket?.name ?? '');
  const [isPublic, setPublic] = useState(bucket?.is_public ?? false);
  const [maxMb, setMaxMb] = useState(
    bucket ? String(Math.round((bucket.max_size_bytes / MB) * 100) / 100) : '10',
  );
  const [types, setTypes] = useState(bucket?.allowed_types.join(', ') ?? '');
  const [touched, setTouched] = useState(false);
  const create = useCreateBucket(projectId);
  const update = useUpdateBucket(projectId);
  const mutation = bucket ? update : create;

  const typeList = types
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  const badType = typeList.find((t) => !TYPE_RE.test(t));
  const mb = Number(maxMb);
  const nameOk = bucket !== null || NAME_RE.test(name);
  const sizeOk = Number.isFinite(mb) && mb > 0;
  const valid = nameOk && sizeOk && !badType;
  const fieldError = (field: string) =>
    mutation.error instanceof ApiError
      ? mutation.error.errors.find((e) => e.field === field)?.message
      : undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!valid) return;
    const body = {
      is_public: isPublic,
      max_size_bytes: Math.max(1, Math.round(mb * MB)),
      allowed_types: typeList,
    };
    if (bucket) update.mutate({ name: bucket.name, body }, { onSuccess: onSaved });
    else create.mutate({ name, ...body }, { onSuccess: onSaved });
  }

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <ProblemAlert error={mutation.error} />
      {!bucket && (
        <Field
          id="bucket-name"
          label="Name"
          hint="a-z, 0-9, _ and -; up to 63 characters."
          error={
            (touched && !nameOk ? 'Use a-z, 0-9, _ and - (1 to 63)' : undefined) ??
            fieldError('name')
          }
        >
          <Input
            id="bucket-name"
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value.toLowerCase())}
            placeholder="avatars"
            className="font-mono"
            aria-invalid={(touched && !nameOk) || undefined}
          />
        </Field>
      )}
      <SwitchRow
        id="bucket-public"
        label="Public"
        hint="Anyone with the link can download its files. Private files need a member token or a signed URL."
        checked={isPublic}
        onCheckedChange={setPublic}
      />
      <div className="grid gap-4 sm:grid-cols-[10rem_minmax(0,1fr)]">
        <Field
          id="bucket-max-size"
          label="Max file size (MB)"
          error={
            (touched && !sizeOk ? 'Enter a size above 0' : undefined) ??
            fieldError('max_size_bytes')
          }
        >
          <Input
            id="bucket-max-size"
            type="number"
            min={0.01}
            step="any"
            value={maxMb}
            onChange={(e) => setMaxMb(e.target.value)}
            aria-invalid={(touched && !sizeOk) || undefined}
          />
        </Field>
        <Field
          id="bucket-types"
          label="Allowed types"
          hint="Comma-separated, e.g. image/*, application/pdf. Empty: any type. Checked on the sniffed content."
          error={
            (touched && badType ? `“${badType}” is not a content type` : undefined) ??
            fieldError('allowed_types')
          }
        >
          <Input
            id="bucket-types"
            value={types}
            onChange={(e) => setTypes(e.target.value)}
            placeholder="image/*, application/pdf"
            className="font-mono text-xs"
            aria-invalid={(touched && Boolean(badType)) || undefined}
          />
        </Field>
      </div>
      <DialogFooter className="items-center justify-between">
        {onDelete ? (
          <Button type="button" variant="outline" className="text-destructive" onClick={onDelete}>
            <Trash2 aria-hidden="true" />
            Delete bucket
          </Button>
        ) : (
          <span />
        )}
        <div className="flex gap-2">
          <Button type="button" variant="outline" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {bucket ? 'Save settings' : 'Create bucket'}
          </Button>
        </div>
      </DialogFooter>
    </form>
  );
}
