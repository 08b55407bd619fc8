/** Collects bind values; every value a query carries goes through here and comes back as `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export interface CompiledQuery {
  text: string;
  values: unknown[];
  /** A hot single-row statement whose text depends on the catalog only: may be a named prepared statement. */
  prepare?: boolean;
}

/** `%`, `_` and `\` lose their LIKE meaning, so a user's text matches only itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
