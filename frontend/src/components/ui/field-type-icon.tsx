import {
  Binary,
  Braces,
  Calendar,
  CalendarClock,
  CaseSensitive,
  FileText,
  Fingerprint,
  Hash,
  Link2,
  List,
  Paperclip,
  Percent,
  Sigma,
  ToggleLeft,
  type LucideIcon,
} from 'lucide-react';
import { cn } from '@/lib/utils';

const ICONS: Record<string, LucideIcon> = {
  string: CaseSensitive,
  text: FileText,
  int: Hash,
  float: Sigma,
  decimal: Percent,
  bool: ToggleLeft,
  boolean: ToggleLeft,
  date: Calendar,
  datetime: CalendarClock,
  uuid: Fingerprint,
  json: Braces,
  enum: List,
  file: Paperclip,
  relation: Link2,
};

const TONES: Record<string, string> = {
  string: 'bg-sky-500/10 text-sky-600 dark:text-sky-400',
  text: 'bg-sky-500/10 text-sky-600 dark:text-sky-400',
  int: 'bg-amber-500/10 text-amber-600 dark:text-amber-400',
  float: 'bg-amber-500/10 text-amber-600 dark:text-amber-400',
  decimal: 'bg-amber-500/10 text-amber-600 dark:text-amber-400',
  bool: 'bg-emerald-500/10 text-emerald-600 dark:text-emerald-400',
  boolean: 'bg-emerald-500/10 text-emerald-600 dark:text-emerald-400',
  date: 'bg-violet-500/10 text-violet-600 dark:text-violet-400',
  datetime: 'bg-violet-500/10 text-violet-600 dark:text-violet-400',
  uuid: 'bg-slate-500/10 text-slate-600 dark:text-slate-300',
  json: 'bg-rose-500/10 text-rose-600 dark:text-rose-400',
  enum: 'bg-teal-500/10 text-teal-600 dark:text-teal-400',
  file: 'bg-orange-500/10 text-orange-600 dark:text-orange-400',
  relation: 'bg-indigo-500/10 text-indigo-600 dark:text-indigo-400',
};

/** A small coloured square with the icon of a field type. */
export function FieldTypeIcon({ type, className }: { type: string; className?: string }) {
  const Icon = ICONS[type] ?? Binary;
  return (
    <span
      className={cn(
        'inline-flex size-6 shrink-0 items-center justify-center rounded-md',
        TONES[type] ?? 'bg-muted text-muted-foreground',
        className,
      )}
      title={type}
      aria-hidden="true"
    >
      <Icon className="size-3.5" />
    </span>
  );
}
