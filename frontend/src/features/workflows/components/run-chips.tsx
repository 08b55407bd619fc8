import {
  Braces,
  CalendarClock,
  Code2,
  Database,
  FilePlus2,
  FileSearch,
  FileX2,
  Globe,
  Hand,
  Hourglass,
  Mail,
  PenLine,
  Split,
  Trash2,
  Zap,
  type LucideIcon,
} from 'lucide-react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { cn } from '@/lib/utils';
import type { RunStatus, StepAction, StepStatus, TriggerType } from '../types';

const runTones: Record<RunStatus | StepStatus, BadgeTone> = {
  queued: 'neutral',
  pending: 'neutral',
  running: 'accent',
  waiting: 'warning',
  completed: 'success',
  failed: 'danger',
  cancelled: 'neutral',
  skipped: 'neutral',
};

export function RunStatusChip({
  status,
  className,
}: {
  status: RunStatus | StepStatus;
  className?: string;
}) {
  return (
    <Badge
      tone={runTones[status]}
      dot
      className={cn(status === 'running' && 'animate-pulse', className)}
      data-testid="run-status"
      data-status={status}
    >
      {status}
    </Badge>
  );
}

export const ACTION_ICONS: Record<StepAction, LucideIcon> = {
  http_request: Globe,
  create_record: FilePlus2,
  update_record: PenLine,
  delete_record: FileX2,
  query_records: FileSearch,
  send_email: Mail,
  condition: Split,
  delay: Hourglass,
  transform: Braces,
  script: Code2,
};

export const TRIGGER_ICONS: Record<TriggerType, LucideIcon> = {
  'record.created': Database,
  'record.updated': Database,
  'record.deleted': Trash2,
  schedule: CalendarClock,
  http: Zap,
  manual: Hand,
};

/** How long something took (or has been running), from two timestamps. */
export function elapsed(from: string | null, to: string | null): string {
  if (!from) return '—';
  const ms = (to ? new Date(to).getTime() : Date.now()) - new Date(from).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return m < 60
    ? `${m} min ${Math.round((ms % 60_000) / 1000)} s`
    : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A JSON value in a scrollable block; strings as they are. */
export function JsonValue({
  value,
  label,
  className,
}: {
  value: unknown;
  label: string;
  className?: string;
}) {
  const text =
    value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <pre
      aria-label={label}
      className={cn(
        'max-h-64 overflow-auto rounded-md border border-border bg-muted/40 p-2.5 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap',
        className,
      )}
    >
      {text || 'null'}
    </pre>
  );
}
