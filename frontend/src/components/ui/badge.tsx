import type { HTMLAttributes } from 'react';
import { cn } from '@/lib/utils';

export type BadgeTone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger';

const tones: Record<BadgeTone, string> = {
  neutral: 'bg-muted text-muted-foreground ring-border',
  accent: 'bg-accent text-accent-foreground ring-primary/20',
  // Text a shade darker (lighter in dark mode) than the tone, for 4.5:1 on the tinted fill.
  success: 'bg-success/10 text-emerald-800 ring-success/25 dark:text-emerald-300',
  warning: 'bg-warning/10 text-amber-800 ring-warning/30 dark:text-amber-300',
  danger: 'bg-destructive/10 text-destructive ring-destructive/25',
};

interface BadgeProps extends HTMLAttributes<HTMLSpanElement> {
  tone?: BadgeTone;
  dot?: boolean;
}

export function Badge({
  tone = 'neutral',
  dot = false,
  className,
  children,
  ...props
}: BadgeProps) {
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset',
        tones[tone],
        className,
      )}
      {...props}
    >
      {dot && <span className="size-1.5 rounded-full bg-current" aria-hidden="true" />}
      {children}
    </span>
  );
}
