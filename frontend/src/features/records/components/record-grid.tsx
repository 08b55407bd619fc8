import {
  type CSSProperties,
  type DragEvent,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type UIEvent,
} from 'react';
import { ArrowDown, ArrowUp, ArrowUpDown, Maximize2, Pin } from 'lucide-react';
import { FieldTypeIcon } from '@/components/ui/field-type-icon';
import { cn } from '@/lib/utils';
import { parseInput, toInput } from '../columns';
import { MAX_WIDTH, MIN_WIDTH, clampWidth } from '../grid-layout';
import type { Column, RecordRow } from '../types';
import { CellValue } from './cell-value';

export const ROW_HEIGHT = 36;
export const HEADER_HEIGHT = 38;
const OVERSCAN = 8;
const SELECT_WIDTH = 44;
const OPEN_WIDTH = 40;
/** The drag data type of a header being moved. */
const COLUMN_DRAG = 'text/x-backendify-column';

interface RecordGridProps {
  columns: Column[];
  rows: RecordRow[];
  sort: string | undefined;
  onSort: (key: string) => void;
  selected: Set<string>;
  onToggle: (id: string) => void;
  onToggleAll: (checked: boolean) => void;
  onOpen: (row: RecordRow) => void;
  /** Saves one cell; resolves when the server accepted it. */
  onSaveCell: (row: RecordRow, column: Column, value: unknown) => Promise<void>;
  height: number;
  busy?: boolean;
  /** Rows just changed by a realtime event, highlighted for a moment. */
  flashed?: ReadonlySet<string>;
  /** The column kept in view while scrolling sideways; it must be `columns[0]`. */
  pinned?: string | null;
  /** Columns the user sized: they keep their width instead of sharing the spare room. */
  fixed?: ReadonlySet<string>;
  /** A header's edge was dragged or stepped with the arrow keys. */
  onResize?: (key: string, width: number) => void;
  /** A header was dropped on another one. */
  onReorder?: (key: string, target: string) => void;
}

interface Editing {
  rowId: string;
  key: string;
}

/**
 * Spreadsheet-like grid that renders only the rows in view. Cells are reached with the arrow
 * keys; Enter or a double-click edits a cell, Enter saves, Escape cancels.
 */
export function RecordGrid({
  columns,
  rows,
  sort,
  onSort,
  selected,
  onToggle,
  onToggleAll,
  onOpen,
  onSaveCell,
  height,
  busy,
  flashed,
  pinned = null,
  fixed,
  onResize,
  onReorder,
}: RecordGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [editing, setEditing] = useState<Editing | null>(null);
  // The width of a column while its edge is dragged, before it is saved.
  const [dragging, setDragging] = useState<{ key: string; width: number } | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const widthOf = (c: Column) => (dragging?.key === c.key ? dragging.width : c.width);
  const template = [
    `${SELECT_WIDTH}px`,
    `${OPEN_WIDTH}px`,
    ...columns.map((c) =>
      fixed?.has(c.key) || dragging?.key === c.key || c.key === pinned
        ? `${widthOf(c)}px`
        : `minmax(${c.width}px, 1fr)`,
    ),
  ].join(' ');
  const minWidth = SELECT_WIDTH + OPEN_WIDTH + columns.reduce((sum, c) => sum + widthOf(c), 0);
  const pinnedColumn = pinned && columns[0]?.key === pinned ? columns[0] : null;
  const pinnedLeft = SELECT_WIDTH + OPEN_WIDTH;
  const bodyHeight = height - HEADER_HEIGHT;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + bodyHeight) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(String(r.id)));
  const someSelected = !allSelected && rows.some((r) => selected.has(String(r.id)));

  // A new page or sort starts at the top.
  const firstId = rows[0]?.id;
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    setScrollTop(0);
  }, [firstId]);

  function focusCell(rowIndex: number, colIndex: number) {
    const row = Math.max(0, Math.min(rows.length - 1, rowIndex));
    const col = Math.max(0, Math.min(columns.length - 1, colIndex));
    const container = scrollRef.current;
    if (!container) return;
    const top = row * ROW_HEIGHT;
    if (top < container.scrollTop) container.scrollTop = top;
    else if (top + ROW_HEIGHT > container.scrollTop + bodyHeight)
      container.scrollTop = top + ROW_HEIGHT - bodyHeight;
    // The row may only now be rendered.
    requestAnimationFrame(() => {
      const cell = container.querySelector<HTMLElement>(`[data-cell="${row}:${col}"]`);
      if (!cell) return;
      // Keep the cell clear of the sticky columns, scrolling sideways by hand.
      const pinned =
        SELECT_WIDTH + OPEN_WIDTH + (pinnedColumn && col > 0 ? widthOf(pinnedColumn) : 0);
      const left = cell.offsetLeft;
      if (left - pinned < container.scrollLeft) container.scrollLeft = left - pinned;
      else if (left + cell.offsetWidth > container.scrollLeft + container.clientWidth)
        container.scrollLeft = left + cell.offsetWidth - container.clientWidth;
      cell.focus({ preventScroll: true });
    });
  }

  function onCellKeyDown(e: KeyboardEvent<HTMLDivElement>, rowIndex: number, colIndex: number) {
    const row = rows[rowIndex];
    const column = columns[colIndex];
    if (!row || !column) return;
    const moves: Record<string, [number, number]> = {
      ArrowDown: [1, 0],
      ArrowUp: [-1, 0],
      ArrowRight: [0, 1],
      ArrowLeft: [0, -1],
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      focusCell(rowIndex + move[0], colIndex + move[1]);
    } else if (e.key === 'Enter' || e.key === 'F2') {
      e.preventDefault();
      if (column.readOnly || column.relation) onOpen(row);
      else setEditing({ rowId: String(row.id), key: column.key });
    } else if (e.key === ' ' && colIndex === 0) {
      e.preventDefault();
      onToggle(String(row.id));
    }
  }

  function SortIcon({ column }: { column: Column }) {
    if (sort === column.key)
      return <ArrowUp className="size-3.5 text-primary" aria-hidden="true" />;
    if (sort === `-${column.key}`)
      return <ArrowDown className="size-3.5 text-primary" aria-hidden="true" />;
    return (
      <ArrowUpDown
        className="size-3.5 opacity-0 transition-opacity group-hover:opacity-50"
        aria-hidden="true"
      />
    );
  }

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label="Records"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length + 2}
      aria-busy={busy || undefined}
      onScroll={(e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop)}
      className="relative overflow-auto"
      style={{ height }}
    >
      <div style={{ minWidth }}>
        <div
          role="row"
          aria-rowindex={1}
          className="sticky top-0 z-10 grid border-b border-border bg-muted/80 backdrop-blur"
          style={{ gridTemplateColumns: template, height: HEADER_HEIGHT }}
        >
          <HeaderCell className="sticky left-0 z-[2] justify-center bg-muted">
            <input
              type="checkbox"
              aria-label="Select all records on this page"
              className="size-4 cursor-pointer accent-primary"
              checked={allSelected}
              ref={(el) => {
                if (el) el.indeterminate = someSelected;
              }}
              onChange={(e) => onToggleAll(e.target.checked)}
            />
          </HeaderCell>
          <HeaderCell className="sticky z-[2] bg-muted" style={{ left: SELECT_WIDTH }}>
            <span className="sr-only">Open</span>
          </HeaderCell>
          {columns.map((c) => (
            <HeaderCell
              key={c.key}
              ariaSort={
                sort === c.key ? 'ascending' : sort === `-${c.key}` ? 'descending' : undefined
              }
              className={cn(
                'relative',
                c === pinnedColumn && 'sticky z-[2] border-r-2 border-r-border bg-muted',
                moving === c.key && 'opacity-60',
              )}
              style={c === pinnedColumn ? { left: pinnedLeft } : undefined}
              testId="column-header"
              column={c.key}
              onDragOver={
                onReorder
                  ? (e) => {
                      if (!e.dataTransfer.types.includes(COLUMN_DRAG)) return;
                      e.preventDefault();
                      e.dataTransfer.dropEffect = 'move';
                    }
                  : undefined
              }
              onDrop={
                onReorder
                  ? (e) => {
                      e.preventDefault();
                      const key = e.dataTransfer.getData(COLUMN_DRAG) || moving;
                      setMoving(null);
                      if (key && key !== c.key) onReorder(key, c.key);
                    }
                  : undefined
              }
            >
              <button
                type="button"
                draggable={Boolean(onReorder)}
                onDragStart={(e) => {
                  e.dataTransfer.setData(COLUMN_DRAG, c.key);
                  e.dataTransfer.effectAllowed = 'move';
                  setMoving(c.key);
                }}
                onDragEnd={() => setMoving(null)}
                onClick={() => onSort(c.key)}
                className="group flex h-full w-full min-w-0 cursor-pointer items-center gap-1.5 px-3 text-left text-xs font-medium text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring"
                aria-label={`Sort by ${c.label}`}
              >
                <FieldTypeIcon type={c.type} className="size-5" />
                <span className="truncate font-mono">{c.label}</span>
                {c.field?.is_required && (
                  <span className="text-destructive" aria-label="required">
                    *
                  </span>
                )}
                {c === pinnedColumn && (
                  <Pin className="size-3 shrink-0 text-primary" aria-label="pinned" />
                )}
                <span className="ml-auto">
                  <SortIcon column={c} />
                </span>
              </button>
              {onResize && (
                <ResizeHandle
                  label={c.label}
                  width={widthOf(c)}
                  onDrag={(width) => setDragging({ key: c.key, width })}
                  onCommit={(width) => {
                    setDragging(null);
                    onResize(c.key, width);
                  }}
                />
              )}
            </HeaderCell>
          ))}
        </div>
        <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
          {visible.map((row, i) => {
            const rowIndex = first + i;
            const id = String(row.id);
            const isSelected = selected.has(id);
            return (
              <div
                key={id}
                role="row"
                aria-rowindex={rowIndex + 2}
                aria-selected={isSelected}
                data-testid="record-row"
                data-record-id={id}
                data-flash={flashed?.has(id) || undefined}
                className={cn(
                  'group/row absolute inset-x-0 grid border-b border-border text-sm',
                  isSelected ? 'bg-accent/60' : 'bg-card hover:bg-muted/40',
                  flashed?.has(id) && 'animate-row-flash',
                )}
                style={{
                  gridTemplateColumns: template,
                  height: ROW_HEIGHT,
                  top: rowIndex * ROW_HEIGHT,
                }}
              >
                <div
                  role="gridcell"
                  className={cn(
                    'sticky left-0 z-[2] flex items-center justify-center border-r border-border/60',
                    isSelected ? 'bg-accent' : 'bg-card',
                  )}
                >
                  <input
                    type="checkbox"
                    aria-label={`Select record ${id}`}
                    className="size-4 cursor-pointer accent-primary"
                    checked={isSelected}
                    onChange={() => onToggle(id)}
                  />
                </div>
                <div
                  role="gridcell"
                  className={cn(
                    'sticky z-[2] flex items-center justify-center border-r border-border/60',
                    isSelected ? 'bg-accent' : 'bg-card',
                  )}
                  style={{ left: SELECT_WIDTH }}
                >
                  <button
                    type="button"
                    aria-label={`Open record ${id}`}
                    onClick={() => onOpen(row)}
                    className="cursor-pointer rounded p-1 text-muted-foreground opacity-40 group-hover/row:opacity-100 hover:bg-muted hover:text-foreground focus-visible:opacity-100"
                  >
                    <Maximize2 className="size-3.5" />
                  </button>
                </div>
                {columns.map((c, colIndex) => {
                  const isEditing = editing?.rowId === id && editing.key === c.key;
                  return (
                    <div
                      key={c.key}
                      role="gridcell"
                      tabIndex={rowIndex === 0 && colIndex === 0 ? 0 : -1}
                      data-cell={`${rowIndex}:${colIndex}`}
                      data-column={c.key}
                      aria-readonly={c.readOnly || undefined}
                      onDoubleClick={() => {
                        if (c.readOnly || c.relation) onOpen(row);
                        else setEditing({ rowId: id, key: c.key });
                      }}
                      onKeyDown={(e) => !isEditing && onCellKeyDown(e, rowIndex, colIndex)}
                      className={cn(
                        'relative flex min-w-0 items-center border-r border-border/60 px-3 outline-none',
                        'focus:ring-2 focus:ring-primary focus:ring-inset',
                        c.readOnly && 'bg-muted/20',
                        c === pinnedColumn &&
                          cn(
                            'sticky z-[2] border-r-2 border-r-border font-medium',
                            isSelected ? 'bg-accent' : 'bg-card',
                          ),
                      )}
                      style={c === pinnedColumn ? { left: pinnedLeft } : undefined}
                    >
                      {isEditing ? (
                        <CellEditor
                          column={c}
                          initial={row[c.key]}
                          onCancel={() => {
                            setEditing(null);
                            focusCell(rowIndex, colIndex);
                          }}
                          onSave={async (value) => {
                            await onSaveCell(row, c, value);
                            setEditing(null);
                            focusCell(rowIndex, colIndex);
                          }}
                        />
                      ) : (
                        <div className="min-w-0 flex-1 truncate">
                          <CellValue column={c} row={row} />
                        </div>
                      )}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function HeaderCell({
  children,
  className,
  ariaSort,
  style,
  testId,
  column,
  onDragOver,
  onDrop,
}: {
  children: ReactNode;
  className?: string;
  ariaSort?: 'ascending' | 'descending';
  style?: CSSProperties;
  testId?: string;
  column?: string;
  onDragOver?: (e: DragEvent<HTMLDivElement>) => void;
  onDrop?: (e: DragEvent<HTMLDivElement>) => void;
}) {
  return (
    <div
      role="columnheader"
      aria-sort={ariaSort}
      style={style}
      data-testid={testId}
      data-column={column}
      onDragOver={onDragOver}
      onDrop={onDrop}
      className={cn('flex min-w-0 items-center border-r border-border/60', className)}
    >
      {children}
    </div>
  );
}

const RESIZE_STEP = 16;

/**
 * The right edge of a header: drag it, or focus it and press the arrow keys, to size the column.
 * A focusable separator with its value, as WAI-ARIA describes a splitter.
 */
function ResizeHandle({
  label,
  width,
  onDrag,
  onCommit,
}: {
  label: string;
  width: number;
  onDrag: (width: number) => void;
  onCommit: (width: number) => void;
}) {
  const start = useRef<{ x: number; width: number; last: number } | null>(null);
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${label}`}
      aria-valuenow={width}
      aria-valuemin={MIN_WIDTH}
      aria-valuemax={MAX_WIDTH}
      tabIndex={0}
      data-testid="column-resize"
      className="absolute inset-y-0 -right-1 z-[3] w-2 cursor-col-resize touch-none outline-none hover:bg-primary/40 focus-visible:bg-primary/60"
      onClick={(e) => e.stopPropagation()}
      onPointerDown={(e) => {
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { x: e.clientX, width, last: width };
      }}
      onPointerMove={(e) => {
        if (!start.current) return;
        const next = clampWidth(start.current.width + e.clientX - start.current.x);
        start.current.last = next;
        onDrag(next);
      }}
      onPointerUp={() => {
        if (!start.current) return;
        const { last } = start.current;
        start.current = null;
        onCommit(last);
      }}
      onKeyDown={(e) => {
        const by = e.key === 'ArrowLeft' ? -RESIZE_STEP : e.key === 'ArrowRight' ? RESIZE_STEP : 0;
        if (!by) return;
        e.preventDefault();
        e.stopPropagation();
        onCommit(clampWidth(width + by));
      }}
    />
  );
}

function CellEditor({
  column,
  initial,
  onSave,
  onCancel,
}: {
  column: Column;
  initial: unknown;
  onSave: (value: unknown) => Promise<void>;
  onCancel: () => void;
}) {
  const [raw, setRaw] = useState(toInput(column.type, initial));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const editorRef = useRef<HTMLInputElement & HTMLSelectElement>(null);

  // Focus without scrolling: the cell under the editor is already in view.
  useEffect(() => {
    editorRef.current?.focus({ preventScroll: true });
  }, []);

  async function save() {
    const parsed = parseInput(column.type, raw);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setSaving(true);
    savingRef.current = true;
    try {
      await onSave(parsed.value);
    } catch {
      // The error is shown by a toast; keep the editor open to fix the value.
      setSaving(false);
      savingRef.current = false;
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    } else if (e.key === 'Enter' && !(column.type === 'json' && e.shiftKey)) {
      e.preventDefault();
      void save();
    }
  }

  const common = {
    ref: editorRef,
    'aria-label': `Edit ${column.label}`,
    'aria-invalid': !!error || undefined,
    'aria-busy': saving || undefined,
    onKeyDown,
    onBlur: () => {
      if (!savingRef.current) onCancel();
    },
    className:
      'absolute inset-0 z-[5] h-full w-full rounded-none border-2 border-primary bg-card px-2.5 text-sm outline-none aria-invalid:border-destructive',
  };

  if (column.type === 'bool' || column.type === 'enum') {
    const options =
      column.type === 'bool' ? ['true', 'false'] : (column.field?.options?.values ?? []);
    return (
      <select
        {...common}
        value={raw}
        onChange={(e) => setRaw(e.target.value)}
        title={error ?? undefined}
      >
        <option value="">NULL</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  }
  const type =
    column.type === 'int' || column.type === 'float'
      ? 'number'
      : column.type === 'date'
        ? 'date'
        : column.type === 'datetime'
          ? 'datetime-local'
          : 'text';
  return (
    <input
      {...common}
      type={type}
      step={column.type === 'float' ? 'any' : undefined}
      value={raw}
      title={error ?? undefined}
      onChange={(e) => {
        setRaw(e.target.value);
        setError(null);
      }}
    />
  );
}
