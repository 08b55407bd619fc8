import { cn } from '@/lib/utils';

type Row = Record<string, unknown>;
export type DiffKind = 'added' | 'removed' | 'changed' | 'same';

export interface DiffLine {
  key: string;
  before: unknown;
  after: unknown;
  kind: DiffKind;
}

/** Bookkeeping columns every record has; listed after the record's own fields. */
const TRAILING = ['created_at', 'updated_at', 'created_by_user_id', 'created_by_app_user_id'];
const rank = (k: string) => (k === 'id' ? -2 : TRAILING.indexOf(k));

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Field-by-field comparison of two versions of a record, in the order the fields first appear
 * (`id` first, bookkeeping columns last). A missing side (a create or a delete) makes every field added or removed.
 */
export function diffRecords(before: Row | null, after: Row | null): DiffLine[] {
  const keys: string[] = [];
  for (const k of [...Object.keys(after ?? {}), ...Object.keys(before ?? {})]) {
    if (!keys.includes(k)) keys.push(k);
  }
  keys.sort((a, b) => rank(a) - rank(b));
  return keys.map((key) => {
    const b = before ? before[key] : undefined;
    const a = after ? after[key] : undefined;
    const kind: DiffKind =
      before === null || !(key in before)
        ? 'added'
        : after === null || !(key in after)
          ? 'removed'
          : same(b, a)
            ? 'same'
            : 'changed';
    return { key, before: b, after: a, kind };
  });
}

function show(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  return JSON.stringify(v, null, 1);
}

const rowTone: Record<DiffKind, string> = {
  added: 'bg-success/10',
  removed: 'bg-destructive/10',
  changed: 'bg-warning/10',
  same: '',
};

interface RecordDiffProps {
  before: Row | null;
  after: Row | null;
  /** Hide fields that did not change (the default shows them dimmed). */
  changedOnly?: boolean;
  /** Fields left out of the table. */
  omit?: readonly string[];
  className?: string;
  label?: string;
}

/** Before / after table of a change: changed fields highlighted, unchanged ones dimmed. */
export function RecordDiff({
  before,
  after,
  changedOnly = false,
  omit = [],
  className,
  label = 'Changes',
}: RecordDiffProps) {
  const lines = diffRecords(before, after).filter(
    (l) => !omit.includes(l.key) && (!changedOnly || l.kind !== 'same'),
  );
  if (lines.length === 0)
    return <p className="text-sm text-muted-foreground">No field values to compare.</p>;
  return (
    <div className={cn('overflow-x-auto rounded-lg border border-border', className)}>
      <table className="w-full table-fixed text-xs" aria-label={label} data-testid="record-diff">
        <thead className="bg-muted/50 text-left text-muted-foreground">
          <tr>
            <th scope="col" className="w-36 px-3 py-2 font-medium">
              Field
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Before
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              After
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr
              key={l.key}
              data-testid="diff-row"
              data-field={l.key}
              data-kind={l.kind}
              className={cn('border-t border-border align-top', rowTone[l.kind])}
            >
              <th
                scope="row"
                className={cn(
                  'truncate px-3 py-1.5 text-left font-mono font-medium',
                  l.kind === 'same' && 'text-muted-foreground',
                )}
                title={l.key}
              >
                {l.key}
                {l.kind !== 'same' && <span className="sr-only"> ({l.kind})</span>}
              </th>
              <td
                className={cn(
                  'px-3 py-1.5 font-mono break-all whitespace-pre-wrap',
                  l.kind === 'same' && 'text-muted-foreground',
                  (l.kind === 'changed' || l.kind === 'removed') &&
                    'text-destructive line-through decoration-destructive/40',
                )}
              >
                {show(l.before)}
              </td>
              <td
                className={cn(
                  'px-3 py-1.5 font-mono break-all whitespace-pre-wrap',
                  l.kind === 'same' && 'text-muted-foreground',
                  (l.kind === 'changed' || l.kind === 'added') && 'font-semibold text-success',
                )}
              >
                {show(l.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
