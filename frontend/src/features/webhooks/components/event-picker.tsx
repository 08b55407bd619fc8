import { useId } from 'react';
import { cn } from '@/lib/utils';
import { EVENT_GROUPS } from '../types';

export interface EventSelection {
  all: boolean;
  /** Concrete event names (`record.created`, …). */
  names: Set<string>;
}

interface EventPickerProps {
  value: EventSelection;
  onChange: (next: EventSelection) => void;
  invalid?: boolean;
}

const box =
  'size-4 cursor-pointer rounded border-input accent-primary focus-visible:outline-2 focus-visible:outline-ring disabled:cursor-not-allowed';

/** Check boxes per event family, a whole-family box for each, and "All events" (`*`). */
export function EventPicker({ value, onChange, invalid }: EventPickerProps) {
  const base = useId();
  const toggle = (names: string[], on: boolean) => {
    const next = new Set(value.names);
    for (const n of names) {
      if (on) next.add(n);
      else next.delete(n);
    }
    onChange({ all: false, names: next });
  };
  return (
    <fieldset
      className={cn(
        'grid gap-3 rounded-lg border p-3',
        invalid ? 'border-destructive' : 'border-border',
      )}
      aria-describedby={`${base}-hint`}
    >
      <legend className="px-1 text-sm font-medium">Events</legend>
      <label className="flex items-center gap-2 text-sm font-medium">
        <input
          type="checkbox"
          className={box}
          checked={value.all}
          onChange={(e) => onChange({ all: e.target.checked, names: value.names })}
        />
        All events <code className="font-mono text-xs text-muted-foreground">*</code>
      </label>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {EVENT_GROUPS.map((g) => {
          const names = g.verbs.map((v) => `${g.family}.${v}`);
          const count = names.filter((n) => value.names.has(n)).length;
          const full = value.all || count === names.length;
          return (
            <div
              key={g.family}
              role="group"
              aria-label={`${g.label} events`}
              className="grid content-start gap-1.5"
            >
              <label className="flex items-center gap-2 text-sm font-medium">
                <input
                  type="checkbox"
                  className={box}
                  disabled={value.all}
                  checked={full}
                  ref={(el) => {
                    if (el) el.indeterminate = !value.all && count > 0 && count < names.length;
                  }}
                  onChange={(e) => toggle(names, e.target.checked)}
                  aria-label={`All ${g.label.toLowerCase()} events (${g.family}.*)`}
                />
                <code className="font-mono text-xs">{g.family}.*</code>
              </label>
              {g.verbs.map((v) => {
                const n = `${g.family}.${v}`;
                return (
                  <label key={n} className="flex items-center gap-2 pl-6 text-xs">
                    <input
                      type="checkbox"
                      className={box}
                      disabled={value.all}
                      checked={value.all || value.names.has(n)}
                      onChange={(e) => toggle([n], e.target.checked)}
                      aria-label={n}
                    />
                    <span className="font-mono" aria-hidden="true">
                      .{v}
                    </span>
                  </label>
                );
              })}
            </div>
          );
        })}
      </div>
      <p id={`${base}-hint`} className="text-xs text-muted-foreground">
        A whole family is sent as <code className="font-mono">family.*</code>, so events added to it
        later are delivered too.
      </p>
    </fieldset>
  );
}
