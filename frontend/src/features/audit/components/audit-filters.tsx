import { useEffect, useState, type KeyboardEvent } from 'react';
import { FilterX } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import type { Collection } from '@/lib/schema-meta';
import {
  ACTION_SUGGESTIONS,
  ACTOR_TYPES,
  ACTOR_TYPE_LABELS,
  AUDIT_FILTER_KEYS,
  type ActorType,
  type AuditSearch,
} from '../types';

interface AuditFiltersProps {
  filters: AuditSearch;
  collections: Collection[];
  onChange: (next: Partial<AuditSearch>) => void;
  onClear: () => void;
}

/** A text filter that applies on Enter or when it loses focus, not on every keystroke. */
function TextFilter({
  id,
  label,
  value,
  placeholder,
  list,
  onCommit,
}: {
  id: string;
  label: string;
  value: string | undefined;
  placeholder: string;
  list?: string;
  onCommit: (v: string | undefined) => void;
}) {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  const commit = () => {
    const next = draft.trim() || undefined;
    if (next !== value) onCommit(next);
  };
  return (
    <div className="grid gap-1">
      <Label htmlFor={id} className="text-xs text-muted-foreground">
        {label}
      </Label>
      <Input
        id={id}
        className="h-8 text-xs"
        value={draft}
        list={list}
        placeholder={placeholder}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
    </div>
  );
}

export function AuditFilters({ filters, collections, onChange, onClear }: AuditFiltersProps) {
  const active = AUDIT_FILTER_KEYS.some((k) => filters[k] !== undefined);
  return (
    <div
      role="search"
      aria-label="Audit filters"
      className="grid grid-cols-2 items-end gap-3 border-b border-border p-4 md:grid-cols-4"
    >
      <TextFilter
        id="audit-action"
        label="Action"
        value={filters.action}
        placeholder="update, auth.*"
        list="audit-action-suggestions"
        onCommit={(action) => onChange({ action })}
      />
      <datalist id="audit-action-suggestions">
        {ACTION_SUGGESTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <div className="grid gap-1">
        <Label htmlFor="audit-collection" className="text-xs text-muted-foreground">
          Collection
        </Label>
        <Select
          id="audit-collection"
          className="h-8 text-xs"
          value={filters.collection ?? ''}
          onChange={(e) => onChange({ collection: e.target.value || undefined })}
        >
          <option value="">All collections</option>
          {collections.map((c) => (
            <option key={c.id} value={c.name}>
              {c.name}
            </option>
          ))}
          {filters.collection && !collections.some((c) => c.name === filters.collection) && (
            <option value={filters.collection}>{filters.collection}</option>
          )}
        </Select>
      </div>
      <TextFilter
        id="audit-record"
        label="Record id"
        value={filters.record_id?.toString()}
        placeholder="42"
        onCommit={(record_id) => onChange({ record_id })}
      />
      <div className="grid gap-1">
        <Label htmlFor="audit-actor-type" className="text-xs text-muted-foreground">
          Actor type
        </Label>
        <Select
          id="audit-actor-type"
          className="h-8 text-xs"
          value={filters.actor_type ?? ''}
          onChange={(e) => onChange({ actor_type: (e.target.value || undefined) as ActorType })}
        >
          <option value="">Anyone</option>
          {ACTOR_TYPES.map((t) => (
            <option key={t} value={t}>
              {ACTOR_TYPE_LABELS[t]}
            </option>
          ))}
        </Select>
      </div>
      <TextFilter
        id="audit-actor"
        label="Actor id"
        value={filters.actor}
        placeholder="user, app user or key id"
        onCommit={(actor) => onChange({ actor })}
      />
      <div className="grid gap-1">
        <Label htmlFor="audit-from" className="text-xs text-muted-foreground">
          From
        </Label>
        <Input
          id="audit-from"
          type="date"
          className="h-8 text-xs"
          value={filters.from ?? ''}
          max={filters.to}
          onChange={(e) => onChange({ from: e.target.value || undefined })}
        />
      </div>
      <div className="grid gap-1">
        <Label htmlFor="audit-to" className="text-xs text-muted-foreground">
          To
        </Label>
        <Input
          id="audit-to"
          type="date"
          className="h-8 text-xs"
          value={filters.to ?? ''}
          min={filters.from}
          onChange={(e) => onChange({ to: e.target.value || undefined })}
        />
      </div>
      <Button
        variant="ghost"
        size="sm"
        onClick={onClear}
        disabled={!active}
        className="col-span-2 justify-self-start md:col-span-1"
      >
        <FilterX aria-hidden="true" />
        Clear
      </Button>
    </div>
  );
}
