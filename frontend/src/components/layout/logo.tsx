import { cn } from '@/lib/utils';

export function Logo({ className, withText = true }: { className?: string; withText?: boolean }) {
  return (
    <span className={cn('inline-flex items-center gap-2', className)}>
      <svg viewBox="0 0 32 32" className="size-7 shrink-0" aria-hidden="true">
        <rect width="32" height="32" rx="8" className="fill-primary" />
        <path d="M10 8h7.5a5 5 0 0 1 0 10H10z" fill="white" opacity="0.9" />
        <path d="M10 18h8.5a5 5 0 0 1 0 10H10z" fill="white" />
      </svg>
      {withText && <span className="text-[15px] font-semibold tracking-tight">Backendify</span>}
    </span>
  );
}
