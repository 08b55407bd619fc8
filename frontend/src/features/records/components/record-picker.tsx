import { useState } from 'react';
import { Search } from 'lucide-react';
import type { Collection } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { usePickedRecord, usePickerRecords } from '../api/records';
import type { RecordRow } from '../types';

/** The text a record is known by: its display field, else its id. */
export function recordLabel(r: RecordRow | undefined, displayField: string, id: string): string {
  const v = r?.[displayField];
  return v === null || v === undefined || v === '' ? `#${id}` : String(v);
}

/** The chosen record's display field ("Tech"), looked up by id. */
export function PickedRecordLabel({
  projectId,
  target,
  displayField,
  id,
}: {
  projectId: string;
  target: Collection | undefined;
  displayField: string;
  id: string;
}) {
  const { data } = usePickedRecord(projectId, target?.name, id);
  return <>{recordLabel(data, displayField, id)}</>;
}

/** Searches the target collection and picks one record; shows the target's display field. */
export function RecordPicker({
  id,
  projectId,
  target,
  displayField,
  value,
  onChange,
  invalid,
}: {
  id: string;
  projectId: string;
  target: Collection | undefined;
  displayField: string;
  value: string;
  onChange: (v: string) => void;
  invalid?: boolean;
}) {
  const [search, setSearch] = useState('');
  const { data, isFetching, isError } = usePickerRecords(projectId, target?.name, search);
  const options = data?.records ?? [];
  const noun = target?.display_name ?? 'records';

  return (
    <div
      className={cn(
        'overflow-hidden rounded-md border border-input',
        invalid && 'border-destructive',
      )}
    >
      <div className="flex items-center gap-2 border-b border-border px-2.5">
        <Search className="size-3.5 text-muted-foreground" aria-hidden="true" />
        <input
          id={id}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={`Search ${noun}…`}
          className="h-8 min-w-0 flex-1 bg-transparent text-sm outline-none"
          aria-describedby={`${id}-selected`}
          autoComplete="off"
        />
        {isFetching && <span className="text-xs text-muted-foreground">…</span>}
      </div>
      <p
        id={`${id}-selected`}
        data-testid="picked-record"
        className="flex items-center justify-between gap-2 bg-muted/40 px-2.5 py-1 text-xs"
      >
        <span className="min-w-0 truncate">
          {value ? (
            <>
              <strong>
                <PickedRecordLabel
                  projectId={projectId}
                  target={target}
                  displayField={displayField}
                  id={value}
                />
              </strong>{' '}
              <span className="font-mono text-muted-foreground">#{value}</span>
            </>
          ) : (
            <span className="text-muted-foreground">None chosen</span>
          )}
        </span>
        {value && (
          <button
            type="button"
            className="cursor-pointer text-muted-foreground hover:text-foreground"
            onClick={() => onChange('')}
          >
            Clear
          </button>
        )}
      </p>
      <ul role="listbox" aria-label={`Matching ${noun}`} className="max-h-36 overflow-y-auto py-1">
        {isError && (
          <li className="px-2.5 py-1.5 text-xs text-destructive">Could not load records.</li>
        )}
        {!isError && options.length === 0 && (
          <li className="px-2.5 py-1.5 text-xs text-muted-foreground">No records found.</li>
        )}
        {options.map((r) => {
          const rid = String(r.id);
          const selected = rid === value;
          return (
            <li key={rid} role="option" aria-selected={selected}>
              <button
                type="button"
                onClick={() => onChange(rid)}
                className={cn(
                  'flex w-full cursor-pointer items-center justify-between gap-2 px-2.5 py-1.5 text-left text-sm hover:bg-muted',
                  selected && 'bg-accent text-accent-foreground',
                )}
              >
                <span className="truncate">{recordLabel(r, displayField, rid)}</span>
                <span className="font-mono text-xs text-muted-foreground">#{rid}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
