import type { FieldType } from '@/lib/schema-meta';
import { slugify } from '@/lib/slugify';
import type { Column } from './types';

/** One CSV cell; `quoted` keeps `""` (empty text) apart from an empty cell (no value). */
export interface CsvCell {
  text: string;
  quoted: boolean;
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF); the cells keep whether they were quoted. */
export function parseCsv(input: string): CsvCell[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: CsvCell[][] = [];
  let row: CsvCell[] = [];
  let cell = '';
  let quoted = false;
  let inQuotes = false;
  let i = 0;
  const endCell = () => {
    row.push({ text: cell, quoted });
    cell = '';
    quoted = false;
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') inQuotes = false;
      else cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && cell === '') {
      inQuotes = true;
      quoted = true;
    } else if (ch === ',') endCell();
    else if (ch === '\n' || ch === '\r') {
      endCell();
      if (!(row.length === 1 && row[0]?.text === '' && !row[0].quoted)) rows.push(row);
      row = [];
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
    } else cell += ch;
    i += 1;
  }
  if (cell !== '' || quoted || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

function csvCell(c: CsvCell): string {
  return c.quoted || /[",\n\r]/.test(c.text) ? `"${c.text.replace(/"/g, '""')}"` : c.text;
}

export function writeCsv(rows: CsvCell[][]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** A file read for the preview: its columns and rows, as text cells. */
export interface ImportSource {
  format: 'csv' | 'json';
  headers: string[];
  /** Cell text per row and column; null is an empty cell / a JSON null or missing key. */
  rows: (string | null)[][];
  /** The JSON objects as read (JSON files only), so values keep their types. */
  objects?: Record<string, unknown>[];
  /** The CSV cells as read (CSV files only), so quoting survives the mapping. */
  cells?: CsvCell[][];
}

export function readImportFile(name: string, text: string): ImportSource {
  const isJson = name.toLowerCase().endsWith('.json') || /^\s*\[/.test(text);
  if (isJson) {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) throw new Error('The JSON file must hold an array of objects.');
    const objects = parsed.filter(
      (o): o is Record<string, unknown> => typeof o === 'object' && o !== null && !Array.isArray(o),
    );
    if (objects.length !== parsed.length) throw new Error('Every item must be an object.');
    const headers: string[] = [];
    for (const o of objects.slice(0, 1000))
      for (const k of Object.keys(o)) if (!headers.includes(k)) headers.push(k);
    const rows = objects.map((o) =>
      headers.map((h) => {
        const v = o[h];
        if (v === null || v === undefined) return null;
        return typeof v === 'object' ? JSON.stringify(v) : String(v);
      }),
    );
    return { format: 'json', headers, rows, objects };
  }
  const all = parseCsv(text);
  const [head, ...body] = all;
  if (!head) throw new Error('The CSV file is empty.');
  return {
    format: 'csv',
    headers: head.map((c) => c.text),
    rows: body.map((r) => r.map((c) => (c.text === '' && !c.quoted ? null : c.text))),
    cells: all,
  };
}

export type DetectedType =
  'int' | 'float' | 'bool' | 'date' | 'datetime' | 'json' | 'text' | 'empty';

/** What the first rows of a column look like. */
export function detectType(values: (string | null)[]): DetectedType {
  const sample = values.filter((v): v is string => v !== null && v !== '').slice(0, 50);
  if (sample.length === 0) return 'empty';
  const all = (re: RegExp) => sample.every((v) => re.test(v.replace(/^'(?=[=+\-@])/, '')));
  if (all(/^-?\d+$/)) return 'int';
  if (all(/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i)) return 'float';
  if (all(/^(true|false)$/i)) return 'bool';
  if (all(/^\d{4}-\d{2}-\d{2}$/)) return 'date';
  if (all(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/)) return 'datetime';
  if (
    sample.every((v) => {
      if (!/^[[{]/.test(v)) return false;
      try {
        JSON.parse(v);
        return true;
      } catch {
        return false;
      }
    })
  )
    return 'json';
  return 'text';
}

const ACCEPTS: Partial<Record<FieldType, DetectedType[]>> = {
  int: ['int'],
  float: ['int', 'float'],
  decimal: ['int', 'float'],
  bool: ['bool'],
  date: ['date'],
  datetime: ['date', 'datetime'],
  relation: ['int'],
};

/** True when a column's values do not look like the field's type (a warning, not a refusal). */
export function typeMismatch(detected: DetectedType, column: Column): boolean {
  if (detected === 'empty') return false;
  const accepted = ACCEPTS[column.type];
  if (column.type === 'relation' && column.relation?.target?.is_system) return false;
  return accepted !== undefined && !accepted.includes(detected);
}

/** Columns every export carries that the server sets itself: skipped on import. */
export const SERVER_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'created_by_user_id',
  'created_by_app_user_id',
];

/** The field a file column most likely fills: same key, field name, display name or slug. */
export function guessTarget(header: string, targets: Column[]): string {
  if (SERVER_COLUMNS.includes(header)) return '';
  const h = header.trim();
  const lower = h.toLowerCase();
  const slug = slugify(h);
  const found =
    targets.find((c) => c.key === h) ??
    targets.find((c) => c.field?.name === h) ??
    targets.find((c) => c.field?.display_name.toLowerCase() === lower) ??
    targets.find((c) => c.key === slug || c.field?.name === slug);
  return found?.key ?? '';
}

/** The file rewritten with the chosen columns under their field names; skipped ones left out. */
export function mappedBody(source: ImportSource, mapping: string[]): string {
  const keep = mapping.map((m, i) => [m, i] as const).filter(([m]) => m !== '');
  if (source.format === 'json') {
    const objects = source.objects ?? [];
    return JSON.stringify(
      objects.map((o) =>
        Object.fromEntries(
          keep
            .filter(([, i]) => (source.headers[i] as string) in o)
            .map(([m, i]) => [m, o[source.headers[i] as string]]),
        ),
      ),
    );
  }
  const [, ...body] = source.cells ?? [];
  const head = keep.map(([m]) => ({ text: m, quoted: false }));
  return writeCsv([
    head,
    ...body.map((r) => keep.map(([, i]) => r[i] ?? { text: '', quoted: false })),
  ]);
}
