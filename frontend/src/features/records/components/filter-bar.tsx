import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Filter as FilterIcon, Plus, X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import {
  OPERATORS_BY_TYPE,
  OP_LABELS,
  OP_SYMBOLS,
  type Column,
  type Filter,
  type FilterOp,
} from '../types';
import { PickedRecordLabel, RecordPicker } from './record-picker';

interface FilterBarProps {
  /** Relation filters search the target's records in this project. */
  projectId?: string;
  columns: Column[];
  filters: Filter[];
  onChange: (filters: Filter[]) => void;
}

function describe(f: Filter): string {
  if (f.op === 'isnull') return f.value === 'false' ? 'is not empty' : 'is empty';
  if (f.op === 'between') return `between ${f.value.replace(',', ' and ')}`;
  return `${OP_SYMBOLS[f.op] ?? OP_LABELS[f.op]} ${f.value}`;
}

/** Active filters as removable chips, and a popover that builds a new one. */
export function FilterBar({ projectId, columns, filters, onChange }: FilterBarProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <div ref={rootRef} className="relative">
        <Button
          variant="outline"
          size="sm"
          aria-expanded={open}
          aria-haspopup="dialog"
          onClick={() => setOpen((v) => !v)}
        >
          <FilterIcon aria-hidden="true" />
          Filter
          {filters.length > 0 && (
            <span className="rounded-full bg-primary px-1.5 text-[10px] leading-4 text-primary-foreground">
              {filters.length}
            </span>
          )}
        </Button>
        {open && (
          <FilterPopover
            projectId={projectId}
            columns={columns}
            onCancel={() => setOpen(false)}
            onAdd={(f) => {
              onChange([...filters, f]);
              setOpen(false);
            }}
          />
        )}
      </div>
      {filters.map((f, i) => {
        const relation = columns.find((c) => c.key === f.field)?.relation;
        const picked = relation && projectId && (f.op === 'eq' || f.op === 'neq') && f.value;
        return (
          <span
            key={`${f.field}-${f.op}-${i}`}
            data-testid="filter-chip"
            className="inline-flex h-8 items-center gap-1.5 rounded-md border border-primary/30 bg-accent pr-1 pl-2.5 text-xs text-accent-foreground"
          >
            <code className="font-mono font-semibold">{f.field}</code>
            {picked ? (
              <span>
                {OP_SYMBOLS[f.op]}{' '}
                <PickedRecordLabel
                  projectId={projectId}
                  target={relation.target}
                  displayField={relation.displayField}
                  id={f.value}
                />
              </span>
            ) : (
              <span>{describe(f)}</span>
            )}
            <button
              type="button"
              aria-label={`Remove filter on ${f.field}`}
              onClick={() => onChange(filters.filter((_, j) => j !== i))}
              className="cursor-pointer rounded p-0.5 opacity-70 hover:bg-primary/10 hover:opacity-100"
            >
              <X className="size-3.5" />
            </button>
          </span>
        );
      })}
      {filters.length > 1 && (
        <Button variant="ghost" size="sm" onClick={() => onChange([])}>
          Clear all
        </Button>
      )}
    </div>
  );
}

function FilterPopover({
  projectId,
  columns,
  onAdd,
  onCancel,
}: {
  projectId?: string;
  columns: Column[];
  onAdd: (f: Filter) => void;
  onCancel: () => void;
}) {
  const filterable = columns;
  const [key, setKey] = useState(filterable[1]?.key ?? filterable[0]?.key ?? 'id');
  const column = filterable.find((c) => c.key === key) ?? filterable[0];
  const ops = column ? OPERATORS_BY_TYPE[column.type] : [];
  const [op, setOp] = useState<FilterOp>(ops[0] ?? 'eq');
  const [value, setValue] = useState('');
  const [value2, setValue2] = useState('');
  const effectiveOp = ops.includes(op) ? op : (ops[0] ?? 'eq');

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!column) return;
    // Enter in the record search only searches; a record has to be chosen first.
    if (column.relation && projectId && !multi && effectiveOp !== 'isnull' && !value) return;
    const v =
      effectiveOp === 'between'
        ? `${value},${value2}`
        : effectiveOp === 'isnull' || column.type === 'bool'
          ? value || 'true'
          : value;
    onAdd({ field: column.key, op: effectiveOp, value: v });
  }

  const needsTwo = effectiveOp === 'between';
  const inputType =
    column?.type === 'int' || column?.type === 'float' || column?.type === 'decimal'
      ? 'number'
      : column?.type === 'date'
        ? 'date'
        : column?.type === 'datetime'
          ? 'datetime-local'
          : 'text';
  const multi = effectiveOp === 'in' || effectiveOp === 'notin';

  let valueInput;
  if (effectiveOp === 'isnull') {
    valueInput = (
      <Select id="filter-value" value={value || 'true'} onChange={(e) => setValue(e.target.value)}>
        <option value="true">is empty</option>
        <option value="false">is not empty</option>
      </Select>
    );
  } else if (column?.type === 'bool') {
    valueInput = (
      <Select id="filter-value" value={value || 'true'} onChange={(e) => setValue(e.target.value)}>
        <option value="true">true</option>
        <option value="false">false</option>
      </Select>
    );
  } else if (column?.relation && projectId && !multi) {
    valueInput = (
      <RecordPicker
        id="filter-value"
        projectId={projectId}
        target={column.relation.target}
        displayField={column.relation.displayField}
        value={value}
        onChange={setValue}
      />
    );
  } else if (column?.type === 'enum' && !multi) {
    valueInput = (
      <Select id="filter-value" value={value} onChange={(e) => setValue(e.target.value)} required>
        <option value="" disabled>
          Choose…
        </option>
        {(column.field?.options?.values ?? []).map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </Select>
    );
  } else if (needsTwo) {
    valueInput = (
      <div className="flex items-center gap-2">
        <Input
          id="filter-value"
          type={inputType}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
          aria-label="From"
        />
        <span className="text-xs text-muted-foreground">and</span>
        <Input
          type={inputType}
          value={value2}
          onChange={(e) => setValue2(e.target.value)}
          required
          aria-label="To"
        />
      </div>
    );
  } else {
    valueInput = (
      <Input
        id="filter-value"
        type={multi ? 'text' : inputType}
        step={inputType === 'number' ? 'any' : undefined}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder={multi ? 'a, b, c' : 'Value'}
      />
    );
  }

  return (
    <form
      role="dialog"
      aria-label="Add filter"
      onSubmit={submit}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
      className="animate-dialog-in absolute top-full left-0 z-30 mt-1.5 grid w-80 grid-cols-1 gap-3 rounded-lg border border-border bg-popover p-3 shadow-lg"
    >
      <div className="grid grid-cols-1 gap-1.5">
        <Label htmlFor="filter-field">Field</Label>
        <Select
          id="filter-field"
          autoFocus
          value={key}
          onChange={(e) => {
            setKey(e.target.value);
            setValue('');
            setValue2('');
          }}
        >
          {filterable.map((c) => (
            <option key={c.key} value={c.key}>
              {c.field?.display_name || c.label} ({c.type})
            </option>
          ))}
        </Select>
      </div>
      <div className="grid grid-cols-1 gap-1.5">
        <Label htmlFor="filter-op">Operator</Label>
        <Select
          id="filter-op"
          value={effectiveOp}
          onChange={(e) => setOp(e.target.value as FilterOp)}
        >
          {ops.map((o) => (
            <option key={o} value={o}>
              {OP_LABELS[o]}
            </option>
          ))}
        </Select>
      </div>
      <div className="grid grid-cols-1 gap-1.5">
        <Label htmlFor="filter-value">Value</Label>
        {valueInput}
      </div>
      <div className="flex justify-end gap-2 pt-1">
        <Button variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" size="sm">
          <Plus aria-hidden="true" />
          Add filter
        </Button>
      </div>
    </form>
  );
}
