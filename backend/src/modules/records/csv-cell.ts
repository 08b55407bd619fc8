const FORMULA_GUARDED = /^'*[=+\-@\t\r]/;

/** Undoes the export's formula guard: one leading quote comes off a cell it would have guarded. */
export function unguardCsvCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_GUARDED.test(cell) ? cell.slice(1) : cell;
}

/** One CSV cell of an export: quoted when needed, formula-like text guarded for spreadsheets. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Cells that a spreadsheet would run as a formula are prefixed so exports are safe to open;
  // text already starting with quotes before such a character gets one more, so import can undo it.
  const safe = FORMULA_GUARDED.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
