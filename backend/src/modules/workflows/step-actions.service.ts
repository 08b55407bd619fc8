import { Inject, Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import type { PoolClient } from 'pg';
import { safeFetch } from '../../common/net/safe-fetch';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { QueryParams } from '../../query-engine';
import type { AccessContext } from '../access/access-context';
import { MailService } from '../mail/mail.service';
import { RecordsReadingService } from '../records/records-reading.service';
import { RecordsWritingService } from '../records/records-writing.service';
import { evaluateContextCondition } from './runtime/condition';
import { runScript } from './runtime/sandbox';
import type { TemplateContext } from './runtime/template';
import {
  DEFAULT_SCRIPT_MEMORY_MB,
  DEFAULT_SCRIPT_TIMEOUT_MS,
  type StepAction,
  type StepDef,
} from './workflow-definition';

/** What one attempt of a step produced. */
export interface StepResult {
  output: unknown;
  /** A branch: the index of the next step, or null to end the run (absent = the next index). */
  next?: number | null;
  /**
   * Work that must commit with the step's result (mail goes to the outbox in the transaction
   * that marks the step done, so a crash can neither lose nor repeat it); returns the output.
   */
  inTransaction?: (client: PoolClient) => Promise<unknown>;
  /** Run after that transaction commits. */
  afterCommit?: () => void;
}

/** A step's failure as the step log shows it. */
export class StepFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** How much of an HTTP answer a step keeps. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The actions of workflow steps (the contract's list); `delay` is the engine's own. */
@Injectable()
export class StepActions {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reading: RecordsReadingService,
    private readonly writing: RecordsWritingService,
    private readonly mail: MailService,
  ) {}

  /**
   * One attempt: `step` has its templates rendered already (except the keys read as they are);
   * `ctx` is the run's template context; `access` the workflow's service identity.
   */
  async run(
    step: StepDef,
    index: number,
    ctx: TemplateContext,
    access: AccessContext,
    timeoutMs: number,
  ): Promise<StepResult> {
    const action: StepAction = step.action;
    switch (action) {
      case 'http_request':
        return { output: await this.http(step, timeoutMs) };
      case 'create_record':
        return {
          output: await this.writing.create(access, String(step.collection), asData(step.data)),
        };
      case 'update_record':
        return {
          output: await this.writing.update(
            access,
            String(step.collection),
            recordId(step.id),
            asData(step.data),
          ),
        };
      case 'delete_record': {
        const id = recordId(step.id);
        await this.writing.delete(access, String(step.collection), id);
        return { output: { deleted: true, id: step.id } };
      }
      case 'query_records': {
        const page = await this.reading.list(access, String(step.collection), listParams(step));
        return { output: { records: page.records, count: page.records.length, total: page.total } };
      }
      case 'send_email':
        return this.email(step, access.projectId);
      case 'condition': {
        const result = evaluateContextCondition(step.condition, ctx) === true;
        const branch = result ? step.then : step.else;
        return {
          output: { result },
          next: branch === undefined ? index + 1 : (branch as number | null),
        };
      }
      case 'transform':
        return { output: step.template ?? null };
      case 'script': {
        const output = await runScript(String(step.code), ctx, {
          timeoutMs:
            typeof step.timeout_ms === 'number' ? step.timeout_ms : DEFAULT_SCRIPT_TIMEOUT_MS,
          memoryMb: typeof step.memory_mb === 'number' ? step.memory_mb : DEFAULT_SCRIPT_MEMORY_MB,
        });
        return { output: output === undefined ? null : output };
      }
      case 'delay':
        throw new StepFailure('delay steps are run by the engine');
    }
  }

  private async http(step: StepDef, timeoutMs: number) {
    const method = String(step.method ?? 'POST').toUpperCase();
    const headers: Record<string, string> = { 'user-agent': 'Backendify-Workflows/1.0' };
    for (const [k, v] of Object.entries((step.headers as Record<string, unknown>) ?? {}))
      if (v !== null && v !== undefined) headers[k.toLowerCase()] = String(v);
    let body: string | undefined;
    if (step.body !== undefined && step.body !== null && method !== 'GET' && method !== 'HEAD') {
      if (typeof step.body === 'string') {
        body = step.body;
        headers['content-type'] ??= 'text/plain; charset=utf-8';
      } else {
        body = JSON.stringify(step.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const res = await safeFetch(
      String(step.url),
      { method, headers, body, signal: AbortSignal.timeout(timeoutMs) },
      { allowPrivate: this.config.webhookAllowPrivate },
    );
    const text = await readLimited(res.body, MAX_RESPONSE_BYTES);
    const type = res.headers.get('content-type') ?? '';
    let parsed: unknown = text;
    if (/json/i.test(type) && text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    // Transient answers fail the attempt (and are retried); any other status is the output.
    if (res.status >= 500 || res.status === 429)
      throw new StepFailure(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
    return { status: res.status, headers: Object.fromEntries(res.headers), body: parsed };
  }

  private email(step: StepDef, projectId: string): StepResult {
    const to = String(step.to ?? '').trim();
    if (!isEmail(to)) throw new StepFailure(`to is not an e-mail address: ${to.slice(0, 200)}`);
    const html = step.html === undefined || step.html === null ? null : String(step.html);
    const text =
      step.text === undefined || step.text === null
        ? (html ?? '').replace(/<[^>]*>/g, '')
        : String(step.text);
    let id = '';
    return {
      output: null,
      inTransaction: async (client) => {
        id = await this.mail.enqueue(client, {
          projectId,
          to,
          subject: String(step.subject ?? '').slice(0, 998),
          text,
          html,
          kind: 'workflow',
        });
        return { queued: true, message_id: id };
      },
      afterCommit: () => this.mail.dispatch([id]),
    };
  }
}

function asData(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new StepFailure('data must render to an object');
  return v as Record<string, unknown>;
}

function recordId(v: unknown): string {
  if ((typeof v !== 'string' && typeof v !== 'number') || v === '')
    throw new StepFailure('id must render to a record id');
  return String(v);
}

/** `filter` is a JSON filter tree (`{field, op, value}` / `and`/`or`/`not`) or `{field__op: value}`. */
function listParams(step: StepDef): QueryParams {
  const params: Record<string, string> = { count: 'true' };
  const f = step.filter as Record<string, unknown> | undefined;
  if (f && typeof f === 'object') {
    const tree = 'field' in f || 'and' in f || 'or' in f || 'not' in f;
    if (tree) params.filter = JSON.stringify(f);
    else
      for (const [k, v] of Object.entries(f))
        params[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  if (step.sort !== undefined)
    params.sort = Array.isArray(step.sort) ? step.sort.join(',') : String(step.sort);
  if (step.limit !== undefined) params.limit = String(step.limit);
  return params;
}

async function readLimited(
  body: AsyncIterable<Uint8Array> | null | undefined,
  max: number,
): Promise<string> {
  if (!body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = Buffer.from(chunk);
    chunks.push(b);
    size += b.byteLength;
    if (size >= max) break;
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}
