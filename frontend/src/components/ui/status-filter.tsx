import { cn } from '@/lib/utils';

/** A row of toggle buttons: "all" (undefined) and one per status. */
export function StatusFilter<S extends string>({
  label,
  statuses,
  value,
  onChange,
}: {
  /** The group's accessible name, e.g. "Filter runs by status". */
  label: string;
  statuses: readonly S[];
  value: S | undefined;
  onChange: (status: S | undefined) => void;
}) {
  return (
    <div
      role="group"
      aria-label={label}
      className="flex flex-wrap gap-1 border-b border-border p-2"
    >
      {([undefined, ...statuses] as const).map((s) => (
        <button
          key={s ?? 'all'}
          type="button"
          aria-pressed={value === s}
          onClick={() => onChange(s)}
          className={cn(
            'cursor-pointer rounded-md px-3 py-1.5 text-sm capitalize transition-colors',
            value === s
              ? 'bg-accent font-medium text-accent-foreground'
              : 'text-muted-foreground hover:bg-muted hover:text-foreground',
          )}
        >
          {s ?? 'all'}
        </button>
      ))}
    </div>
  );
}
