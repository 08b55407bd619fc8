import { useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { FileIcon, Upload, X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { backend } from '@/lib/backend';
import { filesPath, useFileImageUrl } from '../api/files-query';
import { fileKeys } from '../api/keys';
import { uploadFile } from '../api/upload';
import { formatBytes, type StoredFile } from '../types';

/**
 * A record's `file` field: shows the linked file (thumbnail for images) and uploads a new one
 * into the field's bucket, whose id becomes the value.
 */
export function FileFieldInput({
  id,
  projectId,
  bucket,
  value,
  onChange,
  invalid,
}: {
  id: string;
  projectId: string;
  bucket: string | undefined;
  value: string;
  onChange: (v: string) => void;
  invalid?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const file = useQuery({
    queryKey: [...fileKeys.all, projectId, 'file', value],
    queryFn: ({ signal }) =>
      backend.request<StoredFile>('GET', filesPath(projectId, value), { signal }),
    enabled: !!value,
    retry: false,
  });

  async function pick(f: File | undefined) {
    if (!f || !bucket) return;
    setError(null);
    setProgress(0);
    try {
      const stored = await uploadFile(projectId, bucket, f, setProgress).promise;
      onChange(stored.id);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Upload failed');
    } finally {
      setProgress(null);
    }
  }

  return (
    <div className="grid gap-2" data-testid="file-field">
      {value && file.data ? (
        <LinkedFile projectId={projectId} file={file.data} onClear={() => onChange('')} />
      ) : value ? (
        <code className="font-mono text-xs text-muted-foreground">
          {file.isError ? `File ${value} not found` : value}
        </code>
      ) : (
        <span className="text-xs text-muted-foreground">No file</span>
      )}
      <div className="flex items-center gap-2">
        <input
          ref={input}
          id={id}
          type="file"
          className="sr-only"
          aria-invalid={invalid || undefined}
          aria-label="Upload a file"
          onChange={(e) => {
            void pick(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <Button
          variant="outline"
          size="sm"
          disabled={!bucket || progress !== null}
          onClick={() => input.current?.click()}
        >
          <Upload aria-hidden="true" />
          {value ? 'Replace file' : 'Upload file'}
        </Button>
        {progress !== null && (
          <progress className="h-1.5 w-32" max={1} value={progress} aria-label="Upload progress" />
        )}
        {!bucket && (
          <span className="text-xs text-muted-foreground">This field names no bucket.</span>
        )}
      </div>
      {error && (
        <p className="text-xs text-destructive" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function LinkedFile({
  projectId,
  file,
  onClear,
}: {
  projectId: string;
  file: StoredFile;
  onClear: () => void;
}) {
  const image = useFileImageUrl(projectId, file, true);
  return (
    <div
      className="flex items-center gap-3 rounded-md border border-border p-2"
      data-testid="file-field-linked"
    >
      {image ? (
        <img src={image} alt="" className="size-12 rounded object-cover" />
      ) : (
        <FileIcon className="size-8 text-muted-foreground" aria-hidden="true" />
      )}
      <div className="min-w-0 flex-1">
        <div className="truncate text-sm font-medium">{file.original_filename}</div>
        <div className="text-xs text-muted-foreground">
          {file.content_type} · {formatBytes(file.size_bytes)}
        </div>
      </div>
      <Button variant="ghost" size="icon" aria-label="Remove file" onClick={onClear}>
        <X aria-hidden="true" />
      </Button>
    </div>
  );
}
