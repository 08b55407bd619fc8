import type { SortKey } from './sort';
import { queryError } from './query-errors';

const MAX_CURSOR_LENGTH = 8192;

/** The column alias under which a timestamptz sort key is also read as ISO text. */
export function cursorTextAlias(index: number): string {
  return `__sk${index}`;
}

function signature(sortKeys: readonly SortKey[]): string {
  return sortKeys.map((k) => `${k.column.column}:${k.direction}`).join(',');
}

/**
 * `next_cursor` for the page that ended with `row` (a raw pg row of a compiled select):
 * base64url JSON of the sort-key values, id last, plus the sort it belongs to.
 */
export function buildCursor(
  row: Readonly<Record<string, unknown>>,
  sortKeys: readonly SortKey[],
): string {
  const values = sortKeys.map((key, i) => {
    if (key.column.isTimestamp) {
      const text = row[cursorTextAlias(i)];
      if (text !== undefined) return text;
    }
    return key.column.type.serialize(row[key.column.column]);
  });
  return Buffer.from(JSON.stringify({ s: signature(sortKeys), v: values }), 'utf8').toString(
    'base64url',
  );
}

/** The cursor's values parsed by each key's type; anything else (garbage, another sort) is a 400. */
export function decodeCursor(raw: string, sortKeys: readonly SortKey[]): unknown[] {
  const invalid = () => queryError('after', 'invalid_cursor', 'after is not a valid cursor');
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw))
    throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof payload !== 'object' || payload === null) throw invalid();
  const { s, v } = payload as { s?: unknown; v?: unknown };
  if (s !== signature(sortKeys)) {
    throw queryError('after', 'cursor_mismatch', 'after belongs to a different sort order');
  }
  if (!Array.isArray(v) || v.length !== sortKeys.length) throw invalid();
  return sortKeys.map((key, i) => {
    const value: unknown = v[i];
    if (value === null) {
      if (!key.column.nullable) throw invalid();
      return null;
    }
    const parsed =
      typeof value === 'string'
        ? key.column.type.parseQuery(value, key.column.options)
        : key.column.type.parse(value, key.column.options);
    if (!parsed.ok) throw invalid();
    return parsed.value;
  });
}
