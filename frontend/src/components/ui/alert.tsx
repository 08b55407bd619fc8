import type { ReactNode } from 'react';
import { AlertTriangle, CircleAlert, Info } from 'lucide-react';
import { cn } from '@/lib/utils';

type AlertTone = 'info' | 'warning' | 'danger';

const tones: Record<AlertTone, string> = {
  info: 'border-primary/25 bg-accent text-accent-foreground',
  warning: 'border-warning/40 bg-warning/10 text-foreground',
  danger: 'border-destructive/30 bg-destructive/10 text-foreground',
};

const icons = { info: Info, warning: AlertTriangle, danger: CircleAlert };
const iconTones = { info: 'text-primary', warning: 'text-warning', danger: 'text-destructive' };

interface AlertProps {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
}

export function Alert({ tone = 'info', title, children, className }: AlertProps) {
  const Icon = icons[tone];
  return (
    <div
      role={tone === 'danger' ? 'alert' : 'status'}
      className={cn('flex gap-3 rounded-lg border px-4 py-3 text-sm', tones[tone], className)}
    >
      <Icon className={cn('mt-0.5 size-4 shrink-0', iconTones[tone])} aria-hidden="true" />
      <div className="min-w-0 space-y-1">
        {title && <p className="font-medium">{title}</p>}
        {children && <div className="text-sm opacity-90">{children}</div>}
      </div>
    </div>
  );
}
