import type { Collection } from '@/lib/schema-meta';

interface CollectionsPickerProps {
  collections: Collection[];
  value: string[];
  onChange: (next: string[]) => void;
}

/** Which collections' record and schema events to send; none checked means every collection. */
export function CollectionsPicker({ collections, value, onChange }: CollectionsPickerProps) {
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...value, name] : value.filter((n) => n !== name));
  // A filter naming a collection that no longer exists still shows, so it can be removed.
  const names = [
    ...collections.map((c) => c.name),
    ...value.filter((n) => !collections.some((c) => c.name === n)),
  ];
  return (
    <fieldset className="grid gap-2 rounded-lg border border-border p-3">
      <legend className="px-1 text-sm font-medium">Collections</legend>
      <p className="text-xs text-muted-foreground">
        {value.length === 0
          ? 'All collections (none selected). Auth events are never filtered by collection.'
          : `Only ${value.length} selected collection${value.length === 1 ? '' : 's'}.`}
      </p>
      {names.length === 0 ? (
        <p className="text-xs text-muted-foreground">This project has no collections yet.</p>
      ) : (
        <div className="grid max-h-36 grid-cols-2 gap-1.5 overflow-y-auto sm:grid-cols-3">
          {names.map((n) => (
            <label key={n} className="flex min-w-0 items-center gap-2 text-xs">
              <input
                type="checkbox"
                className="size-4 cursor-pointer accent-primary"
                checked={value.includes(n)}
                onChange={(e) => toggle(n, e.target.checked)}
              />
              <span className="truncate font-mono">{n}</span>
            </label>
          ))}
        </div>
      )}
      {value.length > 0 && (
        <button
          type="button"
          className="cursor-pointer justify-self-start text-xs text-muted-foreground underline-offset-2 hover:text-foreground hover:underline"
          onClick={() => onChange([])}
        >
          Send events of every collection
        </button>
      )}
    </fieldset>
  );
}
