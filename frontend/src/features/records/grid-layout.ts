import type { Column } from './types';

/** A console user's arrangement of one collection's grid, kept in this browser's localStorage. */
export interface GridLayout {
  /** Column keys in the user's order; keys not listed (new fields) follow in schema order. */
  order: string[];
  hidden: string[];
  /** Widths the user dragged or stepped to, in px. */
  widths: Record<string, number>;
  /** The column kept in view while scrolling sideways; undefined → the display field. */
  pinned?: string | null;
}

export const EMPTY_LAYOUT: GridLayout = { order: [], hidden: [], widths: {} };
export const MIN_WIDTH = 64;
export const MAX_WIDTH = 800;

/** One arrangement per console user, project and collection. */
export const layoutKey = (userId: string | undefined, projectId: string, collection: string) =>
  `backendify.grid.${userId ?? 'anonymous'}.${projectId}.${collection}`;

export const clampWidth = (w: number) => Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));

/** All columns in the user's order, each with its width applied. */
export function orderedColumns(columns: Column[], layout: GridLayout): Column[] {
  const rank = new Map(layout.order.map((k, i) => [k, i]));
  return columns
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (rank.get(a.c.key) ?? 1e6 + a.i) - (rank.get(b.c.key) ?? 1e6 + b.i))
    .map(({ c }) => {
      const width = layout.widths[c.key];
      return width ? { ...c, width } : c;
    });
}

/**
 * The key of the pinned column: the user's choice, else the collection's display field when it
 * is a column, else none.
 */
export function pinnedKey(
  columns: Column[],
  layout: GridLayout,
  displayField: string | null,
): string | null {
  const wanted = layout.pinned === undefined ? displayField : layout.pinned;
  return columns.some((c) => c.key === wanted) ? wanted! : null;
}

/** What the grid shows: the visible columns in order, the pinned one first. */
export function visibleColumns(
  columns: Column[],
  layout: GridLayout,
  displayField: string | null,
): { columns: Column[]; pinned: string | null } {
  const pinned = pinnedKey(columns, layout, displayField);
  const shown = orderedColumns(columns, layout).filter(
    (c) => c.key === pinned || !layout.hidden.includes(c.key),
  );
  const first = shown.filter((c) => c.key === pinned);
  return { columns: [...first, ...shown.filter((c) => c.key !== pinned)], pinned };
}

/** Moves `key` one place up (-1) or down (+1) in the full order. */
export function moveColumn(
  columns: Column[],
  layout: GridLayout,
  key: string,
  by: -1 | 1,
): GridLayout {
  const keys = orderedColumns(columns, layout).map((c) => c.key);
  const from = keys.indexOf(key);
  const to = from + by;
  if (from < 0 || to < 0 || to >= keys.length) return layout;
  keys.splice(to, 0, ...keys.splice(from, 1));
  return { ...layout, order: keys };
}

/** Moves `key` to the place of `target` (drag and drop of headers). */
export function dropColumn(
  columns: Column[],
  layout: GridLayout,
  key: string,
  target: string,
): GridLayout {
  const keys = orderedColumns(columns, layout).map((c) => c.key);
  const from = keys.indexOf(key);
  const to = keys.indexOf(target);
  if (from < 0 || to < 0 || from === to) return layout;
  keys.splice(from, 1);
  keys.splice(to, 0, key);
  return { ...layout, order: keys };
}
