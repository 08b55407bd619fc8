import { FileText, File as FileIcon, FileImage } from 'lucide-react';
import { cn } from '@/lib/utils';
import { useFileImageUrl } from '../api/files-query';
import { hasThumbnail, type StoredFile } from '../types';

/** A 256px webp variant for images, an icon for everything else. */
export function FileThumb({
  projectId,
  file,
  className,
  full = false,
}: {
  projectId: string;
  file: StoredFile;
  className?: string;
  /** The original instead of the thumbnail (preview). */
  full?: boolean;
}) {
  const src = useFileImageUrl(projectId, file, !full);
  if (!hasThumbnail(file)) {
    const Icon = file.content_type.startsWith('text/') ? FileText : FileIcon;
    return (
      <div
        className={cn('flex items-center justify-center bg-muted text-muted-foreground', className)}
      >
        <Icon className="size-1/3 max-h-10 max-w-10" aria-hidden="true" />
      </div>
    );
  }
  if (!src) {
    return (
      <div
        className={cn(
          'flex animate-pulse items-center justify-center bg-muted text-muted-foreground',
          className,
        )}
      >
        <FileImage className="size-1/3 max-h-10 max-w-10" aria-hidden="true" />
      </div>
    );
  }
  return (
    <img
      src={src}
      alt={file.original_filename}
      data-testid="file-thumbnail"
      loading="lazy"
      className={cn('bg-muted object-cover', full && 'object-contain', className)}
      // A checkerboard shows transparent pixels.
      style={{
        backgroundImage:
          'linear-gradient(45deg,rgb(0 0 0/0.06) 25%,transparent 25%,transparent 75%,rgb(0 0 0/0.06) 75%),linear-gradient(45deg,rgb(0 0 0/0.06) 25%,transparent 25%,transparent 75%,rgb(0 0 0/0.06) 75%)',
        backgroundSize: '16px 16px',
        backgroundPosition: '0 0,8px 8px',
        imageRendering: full ? 'auto' : undefined,
      }}
    />
  );
}
