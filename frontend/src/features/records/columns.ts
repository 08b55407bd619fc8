import type { Collection, FieldDef, FieldType } from '@/lib/schema-meta';
import type { Column } from './types';

const WIDTHS: Partial<Record<FieldType, number>> = {
  string: 200,
  text: 260,
  int: 110,
  float: 120,
  decimal: 130,
  bool: 96,
  date: 130,
  datetime: 190,
  uuid: 180,
  json: 220,
  enum: 140,
  file: 180,
  relation: 190,
};

/** Wide enough for the header: type icon, name and sort arrow. */
function widthFor(type: FieldType, label: string): number {
  return Math.max(WIDTHS[type] ?? 180, label.length * 8 + 84);
}

function normaliseType(type: string): FieldType {
  return (type === 'boolean' ? 'bool' : type) as FieldType;
}

/** The grid's columns: id, then the visible fields in order, then the timestamps. */
export function buildColumns(
  collection: Collection,
  fields: FieldDef[],
  collections: Collection[],
): Column[] {
  const idType: FieldType = collection.is_system ? 'uuid' : 'int';
  const columns: Column[] = [
    {
      key: 'id',
      label: 'id',
      type: idType,
      field: null,
      readOnly: true,
      width: collection.is_system ? 150 : 96,
    },
  ];
  for (const f of fields) {
    if (f.is_hidden || f.is_deleted) continue;
    const type = normaliseType(f.field_type);
    if (type === 'relation') {
      if (f.relation_type !== 'many_to_one') continue;
      const target = collections.find((c) => c.id === f.relation_target_collection_id);
      columns.push({
        key: f.sql_column_name || `${f.name}_id`,
        label: f.name,
        type,
        field: f,
        relation: {
          name: f.name,
          target,
          displayField: f.relation_display_field ?? target?.display_field ?? 'id',
        },
        readOnly: false,
        width: widthFor('relation', f.name),
      });
      continue;
    }
    columns.push({
      key: f.name,
      label: f.name,
      type,
      field: f,
      readOnly: f.is_system && f.name !== 'is_disabled' && f.name !== 'is_email_verified',
      width: widthFor(type, f.name),
    });
  }
  columns.push(
    {
      key: 'created_at',
      label: 'created_at',
      type: 'datetime',
      field: null,
      readOnly: true,
      width: 190,
    },
    {
      key: 'updated_at',
      label: 'updated_at',
      type: 'datetime',
      field: null,
      readOnly: true,
      width: 190,
    },
  );
  return columns;
}

/** Turns what a person typed into the JSON value the data API expects for the type. */
export function parseInput(
  type: FieldType,
  raw: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (raw === '') return { ok: true, value: null };
  switch (type) {
    case 'int': {
      const n = Number(raw);
      return Number.isInteger(n)
        ? { ok: true, value: n }
        : { ok: false, message: 'Enter a whole number' };
    }
    case 'float': {
      const n = Number(raw);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'Enter a number' };
    }
    case 'decimal':
      return /^-?\d+(\.\d+)?$/.test(raw.trim())
        ? { ok: true, value: raw.trim() }
        : { ok: false, message: 'Enter a decimal number' };
    case 'bool':
      return { ok: true, value: raw === 'true' };
    case 'datetime': {
      const d = new Date(raw);
      return Number.isNaN(d.getTime())
        ? { ok: false, message: 'Enter a date and time' }
        : { ok: true, value: d.toISOString() };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(raw) as unknown };
      } catch {
        return { ok: false, message: 'Enter valid JSON' };
      }
    case 'relation': {
      const n = Number(raw);
      return { ok: true, value: /^\d+$/.test(raw) && Number.isSafeInteger(n) ? n : raw };
    }
    default:
      return { ok: true, value: raw };
  }
}

/** The text an input shows for a stored value. */
export function toInput(type: FieldType, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (type === 'json') return JSON.stringify(value, null, 2);
  if (type === 'datetime') {
    const d = new Date(String(value));
    if (Number.isNaN(d.getTime())) return '';
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 16);
  }
  if (type === 'date') return String(value).slice(0, 10);
  return String(value);
}
