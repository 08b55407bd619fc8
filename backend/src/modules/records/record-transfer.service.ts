import { Injectable } from '@nestjs/common';
import { parse as parseCsv } from 'csv-parse/sync';
import { Readable } from 'node:stream';
import { AppError, type FieldError } from '../../common/errors/app-error';
import {
  compileInsert,
  compileSelect,
  finishPage,
  parseListQuery,
  serializeRows,
  type QueryParams,
} from '../../query-engine';
import { outputKey } from '../../query-engine/serialize-row';
import type { AccessContext } from './access-context';
import { RecordsRepository } from './records.repository';
import { RecordsService } from './records.service';
import { parseWritePayload, type ParsedWrite } from './write-payload';

const EXPORT_PAGE = 1000;
const MAX_IMPORT_ROWS = 100_000;
const MAX_REPORTED_ERRORS = 100;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Cells that a spreadsheet would run as a formula are prefixed so exports are safe to open.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Streamed export and all-or-nothing import of a collection's records. */
@Injectable()
export class RecordTransferService {
  constructor(
    private readonly records: RecordsService,
    private readonly repo: RecordsRepository,
  ) {}

  async export(
    access: AccessContext,
    name: string,
    format: string,
    query: QueryParams,
  ): Promise<{ stream: Readable; contentType: string; filename: string }> {
    if (format !== 'csv' && format !== 'json') {
      throw AppError.validation('format must be csv or json', [
        { field: 'format', rule: 'enum', message: 'format must be csv or json' },
      ]);
    }
    const t = await this.records.target(access, name);
    const policy = await this.records.policyFilter(access, t.meta, 'list');
    const { format: _f, limit: _l, offset: _o, after: _a, count: _c, expand: _e, ...rest } = query;
    const parsed = parseListQuery(rest, t.meta, {
      aliases: t.aliases,
      catalog: t.lookup,
      reservedKeys: [
        'limit',
        'offset',
        'sort',
        'fields',
        'expand',
        'search',
        'filter',
        'after',
        'count',
        'format',
      ],
    });
    const exec = this.repo.executor(access);
    async function* pages(): AsyncGenerator<string> {
      let after: string | null = null;
      let first = true;
      let header: string[] | null = null;
      if (format === 'json') yield '[';
      for (;;) {
        const compiled = compileSelect({
          ...parsed,
          collection: t.meta,
          policyFilter: policy,
          limit: EXPORT_PAGE,
          offset: 0,
          after,
          withTotal: false,
        });
        const rows = await exec.run(compiled);
        const page = finishPage(rows, compiled);
        const records = serializeRows(page.rows, compiled.columns);
        if (format === 'csv' && header === null) {
          header = compiled.columns.filter((c) => !c.field?.isHidden).map(outputKey);
          yield header.map(csvCell).join(',') + '\n';
        }
        let chunk = '';
        for (const r of records) {
          if (format === 'json') {
            chunk += (first ? '' : ',') + JSON.stringify(r);
          } else {
            chunk += (header as string[]).map((k) => csvCell(r[k])).join(',') + '\n';
          }
          first = false;
        }
        if (chunk) yield chunk;
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      if (format === 'json') yield ']';
    }
    return {
      stream: Readable.from(pages()),
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      filename: `${t.meta.name}.${format}`,
    };
  }

  /** Every row is checked first; any bad row → 400 listing `{row, field, message}` and nothing is written. */
  async import(
    access: AccessContext,
    name: string,
    contentType: string,
    body: unknown,
  ): Promise<{ inserted: number }> {
    const t = await this.records.target(access, name);
    await this.records.policyFilter(access, t.meta, 'create');
    let rows: unknown[];
    let textInput = false;
    if (contentType.startsWith('text/csv')) {
      if (typeof body !== 'string') throw AppError.badRequest('The CSV body is empty');
      try {
        rows = parseCsv(body, {
          columns: true,
          skip_empty_lines: true,
          bom: true,
          relax_column_count: false,
        }) as unknown[];
      } catch (err) {
        throw AppError.validation(
          `The CSV could not be read: ${(err as Error).message.split('\n')[0]}`,
        );
      }
      textInput = true;
    } else if (Array.isArray(body)) {
      rows = body;
    } else {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send text/csv, or a JSON array of records');
    }
    if (rows.length > MAX_IMPORT_ROWS)
      throw AppError.validation(`At most ${MAX_IMPORT_ROWS} rows can be imported at once`);
    const errors: FieldError[] = [];
    const writes: ParsedWrite[] = [];
    rows.forEach((row, i) => {
      try {
        const cleaned = textInput ? stripEmpty(row as Record<string, string>) : row;
        writes.push(parseWritePayload(t.meta, cleaned, 'create', t.lookup, t.aliases, textInput));
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        for (const e of err.errors ?? [{ field: '', rule: 'invalid', message: err.detail }]) {
          if (errors.length < MAX_REPORTED_ERRORS) errors.push({ ...e, row: i + 1 });
        }
      }
    });
    if (errors.length === 0) {
      for (const [i, w] of writes.entries()) {
        if (errors.length >= MAX_REPORTED_ERRORS) break;
        try {
          // Same write-field rules, create policies and validation rules as a single create.
          await this.records.checkCreateRow(access, t.meta, w);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          if (err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED') throw err;
          for (const e of err.errors ?? [{ field: '', rule: 'invalid', message: err.detail }]) {
            if (errors.length < MAX_REPORTED_ERRORS) errors.push({ ...e, row: i + 1 });
          }
        }
      }
    }
    if (errors.length) {
      throw AppError.validation(
        `${errors.length} problem(s) in the import; nothing was written`,
        errors,
      );
    }
    await this.repo.transaction(access, async (tx) => {
      for (const [i, w] of writes.entries()) {
        const values: Record<string, unknown> = { ...w.values };
        if (access.principal.kind === 'admin') values.created_by_user_id = access.principal.userId;
        if (access.principal.kind === 'app_user')
          values.created_by_app_user_id = access.principal.userId;
        try {
          await tx.run(
            compileInsert({ collection: t.meta, values, returning: false, catalog: t.lookup }),
          );
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code === '23505' || code === '23503' || code === '23502' || code === '23514') {
            const message =
              code === '23505'
                ? 'duplicate value for a unique field'
                : code === '23503'
                  ? 'refers to a record that does not exist'
                  : 'a required value is missing';
            throw new AppError(
              code === '23505'
                ? 'UNIQUE_VIOLATION'
                : code === '23503'
                  ? 'FOREIGN_KEY_VIOLATION'
                  : 'VALIDATION_FAILED',
              `Row ${i + 1}: ${message}; nothing was written`,
              [
                {
                  field: (err as { column?: string }).column ?? '',
                  rule: 'constraint',
                  message,
                  row: i + 1,
                },
              ],
            );
          }
          throw err;
        }
      }
    });
    return { inserted: writes.length };
  }
}

function stripEmpty(row: Record<string, string>): Record<string, string> {
  // Unknown CSV columns are still reported; system columns from an export are skipped on re-import.
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) {
    if (
      ['id', 'created_at', 'updated_at', 'created_by_user_id', 'created_by_app_user_id'].includes(k)
    )
      continue;
    if (v !== '') out[k] = v;
  }
  return out;
}
