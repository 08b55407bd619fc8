import type { FieldError } from '../../common/errors/app-error';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { USERS_TABLE } from '../../schema-engine/schema-op';
import { ConditionError, parseCondition } from '../policies/condition';
import { parseSchedule, ScheduleError } from './runtime/cron';
import { validateTemplatePaths } from './runtime/template';

export const TRIGGER_TYPES = [
  'record.created',
  'record.updated',
  'record.deleted',
  'manual',
  'schedule',
  'http',
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const STEP_ACTIONS = [
  'http_request',
  'create_record',
  'update_record',
  'delete_record',
  'query_records',
  'send_email',
  'condition',
  'delay',
  'transform',
  'script',
] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export const FUNCTION_PRINCIPALS = ['anonymous', 'app_user', 'api_key', 'admin'] as const;
export type FunctionPrincipal = (typeof FUNCTION_PRINCIPALS)[number];
export const DEFAULT_FUNCTION_PRINCIPALS: readonly FunctionPrincipal[] = ['admin', 'api_key'];

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export const MAX_STEPS = 50;
export const DEFAULT_RETRIES = 3;
export const MAX_DELAY_SECONDS = 2_592_000;
export const MAX_QUERY_LIMIT = 1000;
export const MAX_SCRIPT_TIMEOUT_MS = 10_000;
export const DEFAULT_SCRIPT_TIMEOUT_MS = 1000;
export const MAX_SCRIPT_MEMORY_MB = 128;
export const DEFAULT_SCRIPT_MEMORY_MB = 32;
export const MAX_STEP_TIMEOUT_MS = 300_000;
const MAX_SCRIPT_CHARS = 100_000;

/** The trigger settings as stored (defaults filled in). */
export interface TriggerConfig {
  collection?: string;
  condition?: unknown;
  cron?: string;
  timezone?: string;
  slug?: string;
  allowed_principals?: FunctionPrincipal[];
  async?: boolean;
}

/** One step as stored: its action and that action's keys (see the contract). */
export type StepDef = {
  action: StepAction;
  name?: string;
  retries?: number;
  timeout_ms?: number;
} & Record<string, unknown>;

export interface DefinitionInput {
  trigger_type: unknown;
  trigger_config: unknown;
  steps: unknown;
}

export interface CheckedDefinition {
  triggerType: TriggerType;
  triggerConfig: TriggerConfig;
  steps: StepDef[];
  /** Record triggers: the collection's id (events match it through renames). */
  collectionId: string | null;
  slug: string | null;
}

/** What validation needs to know about the project. */
export interface DefinitionContext {
  collection(name: string): CollectionMeta | undefined;
  /** Problems of a `condition` step's context condition (the runtime's checker). */
  contextConditionProblems(
    condition: unknown,
    opts: { stepIndex: number; stepCount: number },
  ): string[];
}

const COMMON_KEYS = ['action', 'name', 'retries', 'timeout_ms'];
const STEP_KEYS: Record<StepAction, { required: string[]; optional: string[] }> = {
  http_request: { required: ['url'], optional: ['method', 'headers', 'body'] },
  create_record: { required: ['collection', 'data'], optional: [] },
  update_record: { required: ['collection', 'id', 'data'], optional: [] },
  delete_record: { required: ['collection', 'id'], optional: [] },
  query_records: { required: ['collection'], optional: ['filter', 'sort', 'limit'] },
  send_email: { required: ['to', 'subject'], optional: ['text', 'html'] },
  condition: { required: ['condition'], optional: ['then', 'else'] },
  delay: { required: ['seconds'], optional: [] },
  transform: { required: ['template'], optional: [] },
  script: { required: ['code'], optional: ['memory_mb'] },
};
/** Keys read as they are, never rendered as templates. */
export const UNRENDERED_KEYS: Readonly<Record<string, readonly string[]>> = {
  script: ['code'],
  condition: ['condition', 'then', 'else'],
};
const TRIGGER_KEYS: Record<TriggerType, string[]> = {
  'record.created': ['collection', 'condition'],
  'record.updated': ['collection', 'condition'],
  'record.deleted': ['collection', 'condition'],
  manual: [],
  schedule: ['cron', 'timezone'],
  http: ['slug', 'allowed_principals', 'async'],
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const hasTemplate = (v: unknown) => typeof v === 'string' && v.includes('{{');

export const isRecordTrigger = (t: TriggerType) => t.startsWith('record.');

/**
 * Checks a whole definition (trigger and steps) and returns it with defaults filled in; every
 * problem is one `{field, rule, message}` (`trigger_config.cron`, `steps[2].url`, …).
 */
export function checkDefinition(
  input: DefinitionInput,
  ctx: DefinitionContext,
): { errors: FieldError[]; checked: CheckedDefinition | null } {
  const errors: FieldError[] = [];
  const fail = (field: string, rule: string, message: string) =>
    errors.push({ field, rule, message });

  const triggerType = input.trigger_type as TriggerType;
  if (!(TRIGGER_TYPES as readonly string[]).includes(triggerType as string)) {
    fail('trigger_type', 'isIn', `trigger_type must be one of ${TRIGGER_TYPES.join(', ')}`);
    return { errors, checked: null };
  }
  const rawConfig = input.trigger_config ?? {};
  if (!isObject(rawConfig)) {
    fail('trigger_config', 'type', 'trigger_config must be an object');
    return { errors, checked: null };
  }
  const { config, collectionId, slug } = checkTrigger(triggerType, rawConfig, ctx, fail);

  const steps: StepDef[] = [];
  if (!Array.isArray(input.steps)) {
    fail('steps', 'type', 'steps must be an array');
  } else if (input.steps.length > MAX_STEPS) {
    fail('steps', 'max_items', `A workflow has at most ${MAX_STEPS} steps`);
  } else {
    input.steps.forEach((raw, i) => {
      const before = errors.length;
      const s = checkStep(raw, i, input.steps as unknown[], ctx, fail);
      if (s && errors.length === before) steps.push(s);
    });
  }
  if (errors.length) return { errors, checked: null };
  return { errors, checked: { triggerType, triggerConfig: config, steps, collectionId, slug } };
}

function checkTrigger(
  type: TriggerType,
  raw: Record<string, unknown>,
  ctx: DefinitionContext,
  fail: (field: string, rule: string, message: string) => void,
): { config: TriggerConfig; collectionId: string | null; slug: string | null } {
  const f = (k: string) => `trigger_config.${k}`;
  for (const k of Object.keys(raw)) {
    if (!TRIGGER_KEYS[type].includes(k))
      fail(f(k), 'unknown_field', `trigger_config.${k} does not apply to a ${type} trigger`);
  }
  const config: TriggerConfig = {};
  let collectionId: string | null = null;
  let slug: string | null = null;
  if (isRecordTrigger(type)) {
    const meta = typeof raw.collection === 'string' ? ctx.collection(raw.collection) : undefined;
    if (typeof raw.collection !== 'string' || raw.collection === '')
      fail(f('collection'), 'required', `A ${type} trigger needs trigger_config.collection`);
    else if (!meta) fail(f('collection'), 'exists', `Unknown collection: ${raw.collection}`);
    else {
      config.collection = meta.name;
      collectionId = meta.id;
      if (raw.condition !== undefined && raw.condition !== null) {
        try {
          parseCondition(raw.condition, meta);
          config.condition = raw.condition;
        } catch (err) {
          if (!(err instanceof ConditionError)) throw err;
          // The parser's fields are paths from `condition` down.
          for (const e of err.errors)
            fail(e.field ? `trigger_config.${e.field}` : f('condition'), e.rule, e.message);
        }
      }
    }
  } else if (type === 'schedule') {
    const timezone = raw.timezone ?? 'UTC';
    if (typeof raw.cron !== 'string' || raw.cron.trim() === '')
      fail(f('cron'), 'required', 'A schedule trigger needs trigger_config.cron (5 fields)');
    else {
      try {
        const s = parseSchedule(raw.cron, timezone as string);
        config.cron = s.cron;
        config.timezone = s.timezone;
      } catch (err) {
        if (!(err instanceof ScheduleError)) throw err;
        const field = /timezone/.test(err.message) ? f('timezone') : f('cron');
        fail(field, 'schedule', err.message);
      }
    }
  } else if (type === 'http') {
    if (typeof raw.slug !== 'string' || !SLUG_PATTERN.test(raw.slug))
      fail(
        f('slug'),
        'pattern',
        'trigger_config.slug must match ^[a-z0-9][a-z0-9-]{0,62}$ (lower-case letters, digits, -)',
      );
    else slug = config.slug = raw.slug;
    const principals = raw.allowed_principals ?? [...DEFAULT_FUNCTION_PRINCIPALS];
    if (
      !Array.isArray(principals) ||
      principals.some((p) => !(FUNCTION_PRINCIPALS as readonly unknown[]).includes(p))
    )
      fail(
        f('allowed_principals'),
        'isIn',
        `allowed_principals must be a list of ${FUNCTION_PRINCIPALS.join(', ')}`,
      );
    else config.allowed_principals = [...new Set(principals as FunctionPrincipal[])];
    if (raw.async !== undefined && typeof raw.async !== 'boolean')
      fail(f('async'), 'type', 'trigger_config.async must be true or false');
    else config.async = raw.async === true;
  }
  return { config, collectionId, slug };
}

function checkStep(
  raw: unknown,
  i: number,
  all: unknown[],
  ctx: DefinitionContext,
  fail: (field: string, rule: string, message: string) => void,
): StepDef | null {
  const at = (k?: string) => (k ? `steps[${i}].${k}` : `steps[${i}]`);
  if (!isObject(raw)) {
    fail(at(), 'type', `steps[${i}] must be an object`);
    return null;
  }
  const action = raw.action as StepAction;
  if (!(STEP_ACTIONS as readonly unknown[]).includes(action)) {
    fail(
      at('action'),
      'isIn',
      `Unknown action ${JSON.stringify(raw.action ?? null)}; expected one of ${STEP_ACTIONS.join(', ')}`,
    );
    return null;
  }
  const keys = STEP_KEYS[action];
  for (const k of Object.keys(raw)) {
    if (!COMMON_KEYS.includes(k) && !keys.required.includes(k) && !keys.optional.includes(k))
      fail(at(k), 'unknown_field', `${k} is not a key of a ${action} step`);
  }
  for (const k of keys.required) {
    if (raw[k] === undefined || raw[k] === null || raw[k] === '')
      fail(at(k), 'required', `A ${action} step needs ${k}`);
  }
  if (raw.name !== undefined && (typeof raw.name !== 'string' || raw.name.length > 127))
    fail(at('name'), 'type', 'name must be a string of at most 127 characters');
  if (raw.retries !== undefined && !isInt(raw.retries, 0, 10))
    fail(at('retries'), 'range', 'retries must be an integer from 0 to 10');
  const maxTimeout = action === 'script' ? MAX_SCRIPT_TIMEOUT_MS : MAX_STEP_TIMEOUT_MS;
  if (raw.timeout_ms !== undefined && !isInt(raw.timeout_ms, 1, maxTimeout))
    fail(at('timeout_ms'), 'range', `timeout_ms must be an integer from 1 to ${maxTimeout}`);

  const collection = (k = 'collection') => {
    const name = raw[k];
    if (typeof name !== 'string' || name === '') return;
    if (!ctx.collection(name)) fail(at(k), 'exists', `Unknown collection: ${name}`);
  };
  // A missing required key is reported once, as required.
  const str = (k: string) => {
    if (raw[k] === undefined || raw[k] === null || raw[k] === '') return;
    if (typeof raw[k] !== 'string') fail(at(k), 'type', `${k} must be a string`);
  };

  switch (action) {
    case 'http_request': {
      str('url');
      if (
        typeof raw.url === 'string' &&
        !hasTemplate(raw.url) &&
        !/^https?:\/\/[^\s]+$/i.test(raw.url)
      )
        fail(at('url'), 'url', 'url must be an http(s) URL (or a template)');
      if (
        raw.method !== undefined &&
        !(HTTP_METHODS as readonly unknown[]).includes(
          typeof raw.method === 'string' ? raw.method.toUpperCase() : raw.method,
        )
      )
        fail(at('method'), 'isIn', `method must be one of ${HTTP_METHODS.join(', ')}`);
      if (
        raw.headers !== undefined &&
        (!isObject(raw.headers) || Object.values(raw.headers).some((v) => typeof v !== 'string'))
      )
        fail(at('headers'), 'type', 'headers must be an object of strings');
      break;
    }
    case 'create_record':
    case 'update_record':
    case 'delete_record':
    case 'query_records': {
      collection();
      if (
        raw.collection === USERS_TABLE &&
        action !== 'query_records' &&
        action !== 'update_record'
      )
        fail(
          at('collection'),
          'system_collection',
          'App users are created and deleted through the app-user routes, not by workflows',
        );
      if ('data' in raw && raw.data !== undefined && !isObject(raw.data) && !hasTemplate(raw.data))
        fail(at('data'), 'type', 'data must be an object (or a template giving one)');
      if (
        'id' in raw &&
        raw.id !== undefined &&
        typeof raw.id !== 'string' &&
        typeof raw.id !== 'number'
      )
        fail(at('id'), 'type', 'id must be a string, a number or a template');
      if (raw.filter !== undefined && !isObject(raw.filter))
        fail(at('filter'), 'type', 'filter must be an object');
      if (
        raw.sort !== undefined &&
        typeof raw.sort !== 'string' &&
        !(Array.isArray(raw.sort) && raw.sort.every((x) => typeof x === 'string'))
      )
        fail(at('sort'), 'type', 'sort must be a string such as "-created_at,title" or a list');
      if (raw.limit !== undefined && !isInt(raw.limit, 1, MAX_QUERY_LIMIT))
        fail(at('limit'), 'range', `limit must be an integer from 1 to ${MAX_QUERY_LIMIT}`);
      break;
    }
    case 'send_email': {
      str('to');
      str('subject');
      str('text');
      str('html');
      if (raw.text === undefined && raw.html === undefined)
        fail(at('text'), 'required', 'A send_email step needs text or html');
      break;
    }
    case 'condition': {
      if (raw.condition !== undefined && !isObject(raw.condition))
        fail(at('condition'), 'type', 'condition must be an object');
      else if (isObject(raw.condition)) {
        // Paths name earlier steps only, as templates do.
        const opts = { stepIndex: i, stepCount: all.length };
        for (const p of ctx.contextConditionProblems(raw.condition, opts))
          fail(at('condition'), 'condition', p);
      }
      for (const k of ['then', 'else']) {
        const v = raw[k];
        if (v === undefined || v === null) continue;
        if (!isInt(v, 0, Number.MAX_SAFE_INTEGER) || v >= all.length)
          fail(
            at(k),
            'range',
            `${k} must be the index of a step (0 to ${all.length - 1}) or null to end the run`,
          );
        else if (v <= i)
          // Forward only: every step runs at most once per run, so a run always ends.
          fail(at(k), 'forward', `${k} must name a later step than ${i}`);
      }
      break;
    }
    case 'delay':
      if (raw.seconds !== undefined && !isInt(raw.seconds, 1, MAX_DELAY_SECONDS))
        fail(at('seconds'), 'range', `seconds must be an integer from 1 to ${MAX_DELAY_SECONDS}`);
      break;
    case 'transform':
      break;
    case 'script':
      str('code');
      if (typeof raw.code === 'string' && raw.code.length > MAX_SCRIPT_CHARS)
        fail(at('code'), 'max_length', `code is at most ${MAX_SCRIPT_CHARS} characters`);
      if (raw.memory_mb !== undefined && !isInt(raw.memory_mb, 1, MAX_SCRIPT_MEMORY_MB))
        fail(
          at('memory_mb'),
          'range',
          `memory_mb must be an integer from 1 to ${MAX_SCRIPT_MEMORY_MB}`,
        );
      break;
  }

  const skip = UNRENDERED_KEYS[action] ?? [];
  const rendered = Object.fromEntries(
    Object.entries(raw).filter(([k]) => !skip.includes(k) && !COMMON_KEYS.includes(k)),
  );
  for (const p of validateTemplatePaths(rendered, { stepIndex: i, stepCount: all.length }))
    fail(at(), 'template_path', p);
  const out: StepDef = { ...raw, action } as StepDef;
  if (action === 'http_request') out.method = String(raw.method ?? 'POST').toUpperCase();
  return out;
}
