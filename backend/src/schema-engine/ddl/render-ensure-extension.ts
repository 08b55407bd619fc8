import { quoteIdent } from '../identifiers';
import { ALLOWED_EXTENSIONS, type EnsureExtensionOp } from '../schema-op';

/**
 * Extensions are database-wide, so concurrent schema changes of different projects would race on
 * `CREATE EXTENSION IF NOT EXISTS`; a global transaction lock serialises just that step.
 */
export function renderEnsureExtension(op: EnsureExtensionOp): string[] {
  if (!(ALLOWED_EXTENSIONS as readonly string[]).includes(op.name)) {
    throw new Error(`Extension '${String(op.name)}' is not allowed`);
  }
  return [
    `SELECT pg_advisory_xact_lock(hashtextextended('backendify:extensions', 0))`,
    `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(op.name)}`,
  ];
}
