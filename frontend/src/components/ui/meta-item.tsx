import type { ReactNode } from 'react';
import { cn } from '@/lib/utils';

/** One label/value pair of a detail dialog's `<dl>`; long values truncate unless `wrap`. */
export function MetaItem({
  label,
  children,
  wrap = false,
}: {
  label: string;
  children: ReactNode;
  wrap?: boolean;
}) {
  return (
    <div className="grid min-w-0 gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className={cn('min-w-0 text-sm', wrap ? 'break-words' : 'truncate')}>{children}</dd>
    </div>
  );
}
