import { Inject, Injectable } from '@nestjs/common';
import { parse as parseCsvStream } from 'csv-parse';
import { Readable } from 'node:stream';
import { AppError, type FieldError } from '../../common/errors/app-error';
import { byteLimit, readLimited } from '../../common/http/byte-limit';
import { jsonDepthExceeds, MAX_JSON_DEPTH, tooLarge } from '../../common/http/json-body';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import {
  compileInsert,
  compileInsertMany,
  compileSelect,
  finishPage,
  parseListQuery,
  serializeRows,
  type JsonRecord,
  type QueryParams,
} from '../../query-engine';
import { ChangeLogService } from '../change-log/change-log.service';
import { recordChange } from '../change-log/change-event';
import { outputKey } from '../../query-engine/serialize-row';
import type { AccessContext } from '../access/access-context';
import { RecordsRepository } from './records.repository';
import { constraintViolation } from './records.errors';
import { PolicyDecisionsService } from '../policies/policy-decisions.service';
import { RecordTargets } from './record-target';
import { RecordsWritingService, runChecked } from './records-writing.service';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { parseWritePayload } from './write-payload';
import { SYSTEM_COLUMNS } from '../../schema-engine/catalog.types';
import { csvCell, unguardCsvCell } from './csv-cell';

const EXPORT_PAGE = 1000;
const MAX_IMPORT_ROWS = 1_000_000;
const IMPORT_BATCH = 500;
const MAX_REPORTED_ERRORS = 100;

/** Streamed export and all-or-nothing import of a collection's records. */
@Injectable()
export class RecordTransferService {
  constructor(
    private readonly targets: RecordTargets,
    private readonly writing: RecordsWritingService,
    private readonly policies: PolicyDecisionsService,
    private readonly repo: RecordsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly changeLog: ChangeLogService,
  ) {}

  /** `IMPORT_MAX_BYTES`: the most an import body (CSV, JSON array or multipart file) may carry. */
  get importMaxBytes(): number {
    return this.config.importMaxBytes;
  }

  /** An uploaded JSON file: read within the import limit, parsed with the same depth limit as bodies. */
  async parseJsonUpload(source: Readable): Promise<unknown> {
    const text = (await readLimited(source, this.importMaxBytes)).toString('utf8');
    if (jsonDepthExceeds(text))
      throw AppError.badRequest(`The JSON file is nested deeper than ${MAX_JSON_DEPTH} levels`);
    try {
      return JSON.parse(text);
    } catch {
      throw AppError.validation('The uploaded file is not valid JSON');
    }
  }

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
    const t = await this.targets.resolve(access, name, 'list');
    const d = await this.policies.decide(access, t.meta, 'list');
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
    const pageQuery = (after: string | null) =>
      compileSelect({
        ...parsed,
        collection: t.meta,
        policyFilter: d.rowFilter,
        readable: d.readableFields,
        limit: EXPORT_PAGE,
        offset: 0,
        after,
        withTotal: false,
      });
    // Compiled once before the stream starts, so a bad filter or an unreadable field is a 400.
    pageQuery(null);
    async function* pages(): AsyncGenerator<string> {
      let after: string | null = null;
      let first = true;
      let header: string[] | null = null;
      if (format === 'json') yield '[';
      for (;;) {
        const compiled = pageQuery(after);
        const rows = await exec.run(compiled);
        const page = finishPage(rows, compiled);
        const records = serializeRows(page.rows, compiled.columns);
        if (format === 'csv' && header === null) {
          header = compiled.columns.map(outputKey);
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
  /**
   * All or nothing, streamed: CSV rows are parsed as they arrive and inserted in batches inside one
   * transaction; every row passes the same checks as a single create. Any bad row → 400 listing
   * `{row, field, message}` (the first 100) and the transaction is rolled back.
   */
  async import(
    access: AccessContext,
    name: string,
    contentType: string,
    body: unknown,
  ): Promise<{ inserted: number }> {
    const t = await this.targets.resolve(access, name, 'create');
    const d = await this.policies.decide(access, t.meta, 'create');
    let rows: AsyncIterable<unknown> | Iterable<unknown>;
    let textInput = false;
    if (contentType.startsWith('text/csv')) {
      const source = typeof body === 'string' ? Readable.from([body]) : (body as Readable | null);
      if (!source || typeof (source as Readable).pipe !== 'function') {
        throw AppError.badRequest('The CSV body is empty');
      }
      const parser = parseCsvStream({
        columns: true,
        skip_empty_lines: true,
        bom: true,
        relax_column_count: false,
        // An empty unquoted cell is no value (null); a quoted one is text like any other cell.
        cast: (value, ctx) =>
          ctx.header ? value : !ctx.quoting && value === '' ? null : unguardCsvCell(value),
      });
      // Bytes are counted as they arrive: past IMPORT_MAX_BYTES the import fails (413), nothing written.
      const counted = byteLimit(this.importMaxBytes);
      source.on('error', (err) => counted.destroy(err));
      counted.on('error', (err) => {
        parser.destroy(err);
        source.resume();
      });
      // The async iterator below reports parse errors; this keeps a late one from crashing the process.
      parser.on('error', () => undefined);
      rows = source.pipe(counted).pipe(parser);
      textInput = true;
    } else if (Array.isArray(body)) {
      rows = body;
    } else {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send text/csv, or a JSON array of records');
    }
    const errors: FieldError[] = [];
    const report = (err: unknown, row: number) => {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED') throw err;
      for (const e of err.errors ?? [{ field: '', rule: 'invalid', message: err.detail }]) {
        if (errors.length < MAX_REPORTED_ERRORS) errors.push({ ...e, row });
      }
    };
    const owner: Record<string, unknown> = {};
    if (access.principal.kind === 'admin') owner.created_by_user_id = access.principal.userId;
    if (access.principal.kind === 'app_user')
      owner.created_by_app_user_id = access.principal.userId;
    let count = 0;
    await this.repo.transaction(access, async (tx) => {
      let batch: Record<string, unknown>[] = [];
      let batchStart = 1;
      const flush = async () => {
        if (batch.length === 0 || errors.length > 0) return (batch = []);
        try {
          const stored: JsonRecord[] = [];
          if (
            Object.keys(batch[0]).length === 0 &&
            batch.every((b) => Object.keys(b).length === 0)
          ) {
            for (const values of batch) {
              const q = compileInsert({
                collection: t.meta,
                values,
                check: d.rowFilter,
                catalog: t.lookup,
              });
              stored.push(...serializeRows(await runChecked(tx, q, access, 'create'), q.columns));
            }
          } else {
            // The create policy is checked on the rows as stored, in the same statement.
            const q = compileInsertMany(t.meta, batch, d.rowFilter, t.lookup, { returning: true });
            stored.push(...serializeRows(await runChecked(tx, q, access, 'create'), q.columns));
          }
          // One change-log event per imported row, in the import's transaction.
          await this.changeLog.appendMany(
            tx,
            stored.map((r) => recordChange(access.projectId, t.meta, 'create', r, null)),
          );
        } catch (err) {
          throw constraintError(err, t.meta, batchStart, batch.length);
        }
        batch = [];
      };
      try {
        for await (const row of rows) {
          count += 1;
          if (count > MAX_IMPORT_ROWS) {
            throw AppError.validation(`At most ${MAX_IMPORT_ROWS} rows can be imported at once`);
          }
          if (errors.length >= MAX_REPORTED_ERRORS) continue;
          try {
            const cleaned = withoutSystemColumns(t.meta, row, t.aliases);
            const write = parseWritePayload(
              t.meta,
              cleaned,
              'create',
              t.lookup,
              t.aliases,
              textInput,
            );
            // Same write-field and validation rules as a single create; the policy is checked in SQL.
            await this.writing.checkImportRow(access, t.meta, d, write);
            if (batch.length === 0) batchStart = count;
            batch.push({ ...write.values, ...owner });
            if (batch.length >= IMPORT_BATCH) await flush();
          } catch (err) {
            report(err, count);
          }
        }
      } catch (err) {
        if (err instanceof AppError) throw err;
        // The multipart reader's own file-size stop is the same limit.
        if ((err as { statusCode?: number }).statusCode === 413)
          throw tooLarge(this.importMaxBytes);
        throw AppError.validation(
          `The CSV could not be read: ${(err as Error).message.split('\n')[0]}`,
        );
      }
      await flush();
      if (errors.length) {
        throw AppError.validation(
          `${errors.length} problem(s) in the import; nothing was written`,
          errors,
        );
      }
    });
    return { inserted: count };
  }
}

/** A constraint violation in a batch: the single-write error, placed at the batch's rows. */
function constraintError(err: unknown, meta: CollectionMeta, first: number, size: number): unknown {
  const mapped = constraintViolation(err, meta);
  if (!mapped) return err;
  const rows = size === 1 ? `Row ${first}` : `Rows ${first}-${first + size - 1}`;
  return new AppError(
    mapped.code,
    `${rows}: ${mapped.detail}; nothing was written`,
    (mapped.errors ?? [{ field: '', rule: 'constraint', message: mapped.detail }]).map((e) => ({
      ...e,
      row: first,
    })),
  );
}

/**
 * An exported row as a create body: system columns (`id`, timestamps, owners) are skipped, so an
 * export imports as is; an empty cell of a required field is left out so its default applies.
 */
function withoutSystemColumns(
  meta: CollectionMeta,
  row: unknown,
  aliases?: ReadonlyMap<string, string>,
): unknown {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if ((SYSTEM_COLUMNS as readonly string[]).includes(k)) continue;
    if (v === null) {
      const name = aliases?.get(k) ?? k;
      const field = meta.fields.find((f) => f.name === name || f.column === name);
      if (field?.isRequired) continue;
    }
    out[k] = v;
  }
  return out;
}
