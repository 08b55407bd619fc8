import { Check, Minus, X } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { cn, formatDate, formatDateTime } from '@/lib/utils';
import type { Column, RecordRow } from '../types';

function Null() {
  return <span className="text-xs text-muted-foreground/60 italic">NULL</span>;
}

/** One value shown by its type: bools as checks, dates formatted, JSON truncated, relations by name. */
export function CellValue({ column, row }: { column: Column; row: RecordRow }) {
  const value = row[column.key];
  if (column.relation) {
    const expanded = row[column.relation.name];
    if (value === null || value === undefined) return <Null />;
    const label =
      expanded && typeof expanded === 'object'
        ? (expanded as Record<string, unknown>)[column.relation.displayField]
        : undefined;
    return (
      <span className="inline-flex max-w-full items-center gap-1.5 truncate rounded-md bg-indigo-500/10 px-1.5 py-0.5 text-xs text-indigo-700 dark:text-indigo-300">
        <span className="truncate">
          {label === undefined || label === null ? String(value) : String(label)}
        </span>
        {label !== undefined && label !== null && (
          <span className="font-mono text-[10px] opacity-60">#{String(value)}</span>
        )}
      </span>
    );
  }
  if (value === null || value === undefined) return <Null />;
  switch (column.type) {
    case 'bool':
      return value === true ? (
        <Check className="size-4 text-success" aria-label="true" />
      ) : value === false ? (
        <X className="size-4 text-muted-foreground/60" aria-label="false" />
      ) : (
        <Minus className="size-4" />
      );
    case 'date':
      return (
        <span className="tabular-nums">{formatDate(`${String(value).slice(0, 10)}T00:00:00`)}</span>
      );
    case 'datetime':
      return (
        <span className="tabular-nums" title={String(value)}>
          {formatDateTime(String(value))}
        </span>
      );
    case 'int':
    case 'float':
    case 'decimal':
      return <span className="block text-right tabular-nums">{String(value)}</span>;
    case 'json': {
      const text = JSON.stringify(value);
      return (
        <span
          className="block truncate font-mono text-xs text-muted-foreground"
          title={text.slice(0, 500)}
        >
          {text.length > 80 ? `${text.slice(0, 80)}…` : text}
        </span>
      );
    }
    case 'enum':
      return <Badge tone="accent">{String(value)}</Badge>;
    case 'uuid':
    case 'file':
      return <span className="block truncate font-mono text-xs">{String(value)}</span>;
    default: {
      const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
      return (
        <span
          className={cn(
            'block truncate',
            column.key === 'id' && 'font-mono text-xs text-muted-foreground',
          )}
          title={text.length > 40 ? text.slice(0, 500) : undefined}
        >
          {text}
        </span>
      );
    }
  }
}
