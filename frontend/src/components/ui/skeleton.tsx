import type { HTMLAttributes, ReactNode } from 'react';
import { cn } from '@/lib/utils';

export function Skeleton({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div
      aria-hidden="true"
      className={cn('animate-pulse rounded-md bg-muted', className)}
      {...props}
    />
  );
}

/** A loading page: title and description placeholders above the page's own skeleton body. */
export function PageSkeleton({
  label,
  titleWidth = 'w-40',
  children,
}: {
  label: string;
  titleWidth?: string;
  children: ReactNode;
}) {
  return (
    <div aria-busy="true" aria-label={label}>
      <div className="mb-6 space-y-2">
        <Skeleton className={cn('h-8', titleWidth)} />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      {children}
    </div>
  );
}
