import { ArrowDown, ArrowUp, Pin, PinOff } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FieldTypeIcon } from '@/components/ui/field-type-icon';
import { cn } from '@/lib/utils';
import { moveColumn, orderedColumns, pinnedKey, type GridLayout } from '../grid-layout';
import type { Column } from '../types';

interface ColumnChooserProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  columns: Column[];
  layout: GridLayout;
  displayField: string | null;
  onChange: (layout: GridLayout) => void;
  onReset: () => void;
}

/** Which columns the grid shows, in what order, and which one stays pinned at the left. */
export function ColumnChooser({
  open,
  onOpenChange,
  columns,
  layout,
  displayField,
  onChange,
  onReset,
}: ColumnChooserProps) {
  const ordered = orderedColumns(columns, layout);
  const pinned = pinnedKey(columns, layout, displayField);
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Columns"
      description="Choose the columns to show, their order, and the one pinned while scrolling sideways. Kept in this browser; drag a header's edge to resize."
      footer={
        <>
          <Button variant="outline" onClick={onReset}>
            Reset columns
          </Button>
          <Button onClick={() => onOpenChange(false)}>Done</Button>
        </>
      }
    >
      <ul aria-label="Columns" className="grid gap-1">
        {ordered.map((c, i) => {
          const isPinned = c.key === pinned;
          const shown = isPinned || !layout.hidden.includes(c.key);
          return (
            <li
              key={c.key}
              data-testid="column-choice"
              data-column={c.key}
              className={cn(
                'flex items-center gap-2 rounded-md border border-border px-2 py-1.5',
                isPinned && 'border-primary/40 bg-accent/50',
              )}
            >
              <input
                id={`column-${c.key}`}
                type="checkbox"
                className="size-4 cursor-pointer accent-primary"
                checked={shown}
                disabled={isPinned}
                onChange={(e) =>
                  onChange({
                    ...layout,
                    hidden: e.target.checked
                      ? layout.hidden.filter((k) => k !== c.key)
                      : [...layout.hidden, c.key],
                  })
                }
              />
              <label
                htmlFor={`column-${c.key}`}
                className="flex min-w-0 flex-1 cursor-pointer items-center gap-2 text-sm"
              >
                <FieldTypeIcon type={c.type} className="size-5" />
                <span className="truncate font-mono">{c.label}</span>
                {c.key === displayField && (
                  <span className="text-xs text-muted-foreground">display field</span>
                )}
              </label>
              <Button
                variant="ghost"
                size="icon"
                aria-label={isPinned ? `Unpin ${c.label}` : `Pin ${c.label}`}
                aria-pressed={isPinned}
                onClick={() => onChange({ ...layout, pinned: isPinned ? null : c.key })}
              >
                {isPinned ? <PinOff aria-hidden="true" /> : <Pin aria-hidden="true" />}
              </Button>
              <Button
                variant="ghost"
                size="icon"
                aria-label={`Move ${c.label} up`}
                disabled={i === 0}
                onClick={() => onChange(moveColumn(columns, layout, c.key, -1))}
              >
                <ArrowUp aria-hidden="true" />
              </Button>
              <Button
                variant="ghost"
                size="icon"
                aria-label={`Move ${c.label} down`}
                disabled={i === ordered.length - 1}
                onClick={() => onChange(moveColumn(columns, layout, c.key, 1))}
              >
                <ArrowDown aria-hidden="true" />
              </Button>
            </li>
          );
        })}
      </ul>
    </Dialog>
  );
}
