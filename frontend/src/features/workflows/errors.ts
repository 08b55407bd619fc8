import { ApiError } from '@/lib/backend';

/** Messages by the API's field names (`name`, `trigger_config.cron`, `steps[2].url`, …). */
export interface FieldErrors {
  /** Messages for exactly this field. */
  at(field: string): string | undefined;
  /** Messages for this field and everything under it (`trigger_config.condition.$and[0]…`). */
  under(field: string): string | undefined;
  /** Messages for `steps[i]` itself and for its keys no form field shows. */
  stepRest(index: number, shown: readonly string[]): string[];
}

/** The server's 400 errors (when `error` is a problem) and the console's own, merged. */
export function fieldErrors(
  error: unknown,
  local: readonly { field: string; message: string }[],
): FieldErrors {
  const all = [...local, ...(error instanceof ApiError ? error.errors : [])].filter(
    (e): e is { field: string; message: string } => typeof e.field === 'string' && e.field !== '',
  );
  const join = (list: { message: string }[]) =>
    list.length ? [...new Set(list.map((e) => e.message))].join('; ') : undefined;
  return {
    at: (field) => join(all.filter((e) => e.field === field)),
    under: (field) =>
      join(
        all.filter(
          (e) =>
            e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`),
        ),
      ),
    stepRest: (index, shown) => {
      const base = `steps[${index}]`;
      return [
        ...new Set(
          all
            .filter((e) => {
              if (e.field === base) return true;
              if (!e.field.startsWith(`${base}.`)) return false;
              const key = e.field.slice(base.length + 1).split(/[.[]/)[0] ?? '';
              return !shown.includes(key);
            })
            .map((e) =>
              e.field === base ? e.message : `${e.field.slice(base.length + 1)}: ${e.message}`,
            ),
        ),
      ];
    },
  };
}
