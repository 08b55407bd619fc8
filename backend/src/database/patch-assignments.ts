/**
 * `column = $n` for each key of `patch` that is defined, in `keys` order, appending the values to
 * `values` (whose earlier entries keep their numbers). Keys come from the caller's fixed list,
 * never from input; `json` columns are sent as JSON text and cast to jsonb.
 */
export function patchAssignments<K extends string>(
  patch: Partial<Record<K, unknown>>,
  keys: readonly K[],
  values: unknown[],
  json: ReadonlySet<string> = new Set(),
): string[] {
  const sets: string[] = [];
  for (const key of keys) {
    if (patch[key] === undefined) continue;
    const asJson = json.has(key);
    values.push(asJson ? JSON.stringify(patch[key]) : patch[key]);
    sets.push(`${key} = $${values.length}${asJson ? '::jsonb' : ''}`);
  }
  return sets;
}
