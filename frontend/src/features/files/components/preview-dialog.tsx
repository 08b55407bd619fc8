import { Download, Link2, Trash2 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { MetaItem } from '@/components/ui/meta-item';
import { formatDateTime } from '@/lib/utils';
import { formatBytes, hasThumbnail, type StoredFile } from '../types';
import { FileThumb } from './file-thumb';

export function PreviewDialog({
  projectId,
  file,
  onClose,
  onCopySigned,
  copying,
  onDownload,
  onDelete,
  canEdit,
}: {
  projectId: string;
  file: StoredFile | null;
  onClose: () => void;
  onCopySigned: (f: StoredFile) => void;
  copying: boolean;
  onDownload: (f: StoredFile) => void;
  onDelete: (f: StoredFile) => void;
  canEdit: boolean;
}) {
  return (
    <Dialog
      open={file !== null}
      onOpenChange={(o) => !o && onClose()}
      title={file?.original_filename ?? ''}
      description={file ? `${file.content_type} · ${formatBytes(file.size_bytes)}` : undefined}
      className="sm:max-w-3xl"
      footer={
        file && (
          <>
            {canEdit && (
              <Button
                variant="outline"
                className="mr-auto text-destructive"
                onClick={() => onDelete(file)}
              >
                <Trash2 aria-hidden="true" />
                Delete
              </Button>
            )}
            <Button variant="outline" onClick={() => onDownload(file)}>
              <Download aria-hidden="true" />
              Download
            </Button>
            <Button loading={copying} onClick={() => onCopySigned(file)}>
              <Link2 aria-hidden="true" />
              Copy signed URL
            </Button>
          </>
        )
      }
    >
      {file && (
        <div className="grid gap-4">
          {hasThumbnail(file) && (
            <FileThumb
              projectId={projectId}
              file={file}
              full
              className="max-h-[55vh] min-h-40 w-full rounded-lg border border-border"
            />
          )}
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3">
            <MetaItem label="Bucket">{file.bucket}</MetaItem>
            <MetaItem label="Visibility">{file.is_public ? 'Public' : 'Private'}</MetaItem>
            <MetaItem label="Uploaded">{formatDateTime(file.created_at)}</MetaItem>
            <MetaItem label="File id" wrap>
              <code className="font-mono text-xs break-all">{file.id}</code>
            </MetaItem>
            <MetaItem label="Stored name" wrap>
              <code className="font-mono text-xs break-all">{file.filename}</code>
            </MetaItem>
            {file.checksum_sha256 && (
              <MetaItem label="SHA-256" wrap>
                <code className="font-mono text-xs break-all">{file.checksum_sha256}</code>
              </MetaItem>
            )}
            {file.record_id && (
              <MetaItem label="Record">
                <code className="font-mono text-xs">
                  {file.field_name ?? ''} · {file.record_id}
                </code>
              </MetaItem>
            )}
          </dl>
        </div>
      )}
    </Dialog>
  );
}
