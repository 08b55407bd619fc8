import { CheckCircle2, Loader2, RotateCw, X, XCircle } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { cn } from '@/lib/utils';
import { RESUMABLE_FROM_BYTES } from '../api/upload';
import { formatBytes } from '../types';

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  bucket: string;
  file: File;
  /** False when the console refused it before sending (too large). */
  retryable?: boolean;
  progress: number;
  status: 'uploading' | 'done' | 'error';
  error?: string;
  abort?: () => void;
}

export function UploadList({
  items,
  onDismiss,
  onRetry,
  onClear,
}: {
  items: UploadItem[];
  onDismiss: (key: string) => void;
  onRetry: (item: UploadItem) => void;
  onClear: () => void;
}) {
  if (items.length === 0) return null;
  const finished = items.filter((i) => i.status !== 'uploading').length;
  return (
    <Card className="p-3" aria-label="Uploads" role="region">
      <div className="mb-2 flex items-center justify-between text-xs text-muted-foreground">
        <span>
          Uploads: {finished} of {items.length} finished
        </span>
        {finished > 0 && (
          <Button variant="ghost" size="sm" onClick={onClear}>
            Clear finished
          </Button>
        )}
      </div>
      <ul className="grid gap-2">
        {items.map((u) => (
          <li
            key={u.key}
            data-testid="upload-item"
            data-status={u.status}
            className="grid grid-cols-[1rem_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 text-sm"
          >
            {u.status === 'uploading' ? (
              <Loader2 className="size-4 animate-spin text-muted-foreground" aria-hidden="true" />
            ) : u.status === 'done' ? (
              <CheckCircle2 className="size-4 text-emerald-600" aria-hidden="true" />
            ) : (
              <XCircle className="size-4 text-destructive" aria-hidden="true" />
            )}
            <span className="truncate">
              {u.name}{' '}
              <span className="text-xs text-muted-foreground">
                {formatBytes(u.size)} → {u.bucket}
                {u.size >= RESUMABLE_FROM_BYTES && ' · resumable'}
              </span>
            </span>
            <span className="flex">
              {u.status === 'error' && u.retryable !== false && (
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Retry ${u.name}`}
                  onClick={() => onRetry(u)}
                >
                  <RotateCw aria-hidden="true" />
                </Button>
              )}
              <Button
                variant="ghost"
                size="icon"
                aria-label={u.status === 'uploading' ? `Cancel ${u.name}` : `Dismiss ${u.name}`}
                onClick={() => (u.status === 'uploading' ? u.abort?.() : onDismiss(u.key))}
              >
                <X aria-hidden="true" />
              </Button>
            </span>
            <div
              role="progressbar"
              aria-label={`Upload progress of ${u.name}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(u.progress * 100)}
              className="col-start-2 h-1.5 overflow-hidden rounded-full bg-muted"
            >
              <div
                className={cn(
                  'h-full rounded-full transition-[width]',
                  u.status === 'error' ? 'bg-destructive' : 'bg-primary',
                )}
                style={{ width: `${Math.round((u.status === 'error' ? 1 : u.progress) * 100)}%` }}
              />
            </div>
            {u.error && (
              <p className="col-start-2 text-xs text-destructive" role="alert">
                {u.error}
              </p>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
