/**
 * The builder's editable model of a workflow and its two-way mapping to the API's definition.
 * Text fields hold what the admin typed; JSON-ish fields are parsed only when saving.
 */
import {
  UnsupportedCondition,
  emptyGroup,
  fromCondition,
  incompleteRules,
  toCondition,
  type FieldTypes,
  type GroupNode,
} from '@/components/condition-builder/condition';
import {
  DEFAULT_FUNCTION_PRINCIPALS,
  isRecordTrigger,
  type FunctionPrincipal,
  type Step,
  type StepAction,
  type TriggerConfig,
  type TriggerType,
  type Workflow,
  type WorkflowInput,
} from './types';

/** A condition edited in the visual builder, or as JSON when the builder cannot show it. */
export interface ConditionDraft {
  mode: 'builder' | 'json';
  root: GroupNode;
  json: string;
}

export interface TriggerDraft {
  type: TriggerType;
  collection: string;
  condition: ConditionDraft;
  cron: string;
  timezone: string;
  slug: string;
  principals: FunctionPrincipal[];
  async: boolean;
}

/** Where a condition step goes: the next step, the end of the run, or a step (by its key). */
export type Branch = { to: 'next' } | { to: 'end' } | { to: 'step'; key: string };

export interface StepDraft {
  /** Stable across reorders; branch targets name steps by it. */
  key: string;
  action: StepAction;
  name: string;
  retries: string;
  timeout: string;
  /** The action's own keys as typed (JSON-ish ones as JSON text). */
  values: Record<string, string>;
  condition: ConditionDraft;
  then: Branch;
  else: Branch;
}

export interface WorkflowDraft {
  name: string;
  description: string;
  isActive: boolean;
  trigger: TriggerDraft;
  steps: StepDraft[];
}

/** Action keys whose text is JSON (or a single template): objects, arrays, numbers… */
const LOOSE_JSON_KEYS = ['body', 'data', 'template'];
/** Action keys that must be JSON objects. */
const OBJECT_KEYS = ['headers', 'filter'];
/** Action keys that are whole numbers. */
const INT_KEYS = ['seconds', 'limit', 'memory_mb'];

/** The keys each action's form edits, in form order (the API's keys, minus the common ones). */
export const ACTION_KEYS: Record<StepAction, string[]> = {
  http_request: ['method', 'url', 'headers', 'body'],
  create_record: ['collection', 'data'],
  update_record: ['collection', 'id', 'data'],
  delete_record: ['collection', 'id'],
  query_records: ['collection', 'filter', 'sort', 'limit'],
  send_email: ['to', 'subject', 'text', 'html'],
  condition: ['condition', 'then', 'else'],
  delay: ['seconds'],
  transform: ['template'],
  script: ['code', 'memory_mb'],
};

let seq = 0;
export const stepKey = () => `s${++seq}`;

export function conditionDraft(raw: unknown): ConditionDraft {
  const json = raw === null || raw === undefined ? '' : JSON.stringify(raw, null, 2);
  try {
    return { mode: 'builder', root: fromCondition(raw), json };
  } catch (e) {
    if (e instanceof UnsupportedCondition) return { mode: 'json', root: emptyGroup(), json };
    throw e;
  }
}

/** Text for a JSON-ish value: strings as typed unless they would read back as other JSON. */
function looseText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') {
    try {
      JSON.parse(v);
      return JSON.stringify(v);
    } catch {
      return v;
    }
  }
  return JSON.stringify(v, null, 2);
}

function plainText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function branchOf(v: unknown, keys: string[]): Branch {
  if (v === null) return { to: 'end' };
  if (typeof v === 'number' && keys[v]) return { to: 'step', key: keys[v] };
  return { to: 'next' };
}

export function newStepDraft(action: StepAction): StepDraft {
  const values: Record<string, string> = {};
  if (action === 'http_request') values.method = 'POST';
  if (action === 'delay') values.seconds = '60';
  if (action === 'transform') values.template = '{\n  \n}';
  if (action === 'script') values.code = 'return { ok: true };';
  return {
    key: stepKey(),
    action,
    name: '',
    retries: '',
    timeout: '',
    values,
    condition: conditionDraft(null),
    then: { to: 'next' },
    else: { to: 'next' },
  };
}

export function newDraft(trigger: TriggerType = 'record.created'): WorkflowDraft {
  return {
    name: '',
    description: '',
    isActive: true,
    trigger: triggerDraft(trigger, {}),
    steps: [],
  };
}

function triggerDraft(type: TriggerType, c: TriggerConfig): TriggerDraft {
  return {
    type,
    collection: c.collection ?? '',
    condition: conditionDraft(c.condition ?? null),
    cron: c.cron ?? '',
    timezone: c.timezone ?? 'UTC',
    slug: c.slug ?? '',
    principals: c.allowed_principals ?? [...DEFAULT_FUNCTION_PRINCIPALS],
    async: c.async ?? false,
  };
}

/** A stored workflow as a draft; `reuse` keeps the step keys of the draft that was saved. */
export function toDraft(w: Workflow, reuse?: WorkflowDraft): WorkflowDraft {
  const keys = w.steps.map((_, i) => reuse?.steps[i]?.key ?? stepKey());
  return {
    name: w.name,
    description: w.description ?? '',
    isActive: w.is_active,
    trigger: triggerDraft(w.trigger_type, w.trigger_config),
    steps: w.steps.map((s, i) => {
      const values: Record<string, string> = {};
      for (const k of ACTION_KEYS[s.action] ?? []) {
        if (k === 'condition' || k === 'then' || k === 'else') continue;
        const v = s[k];
        if (v === undefined) continue;
        values[k] = LOOSE_JSON_KEYS.includes(k)
          ? looseText(v)
          : OBJECT_KEYS.includes(k)
            ? JSON.stringify(v, null, 2)
            : plainText(v);
      }
      return {
        key: keys[i] ?? stepKey(),
        action: s.action,
        name: s.name ?? '',
        retries: s.retries === undefined ? '' : String(s.retries),
        timeout: s.timeout_ms === undefined ? '' : String(s.timeout_ms),
        values,
        condition: conditionDraft(s.action === 'condition' ? s.condition : null),
        then: branchOf(s.then, keys),
        else: branchOf(s.else, keys),
      };
    }),
  };
}

/** A problem the console finds before sending: `field` as the API names it. */
export interface DraftProblem {
  field: string;
  message: string;
}

function parseInteger(text: string): number | null {
  return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

function conditionValue(
  c: ConditionDraft,
  types: FieldTypes,
  fallback: string | undefined,
  field: string,
  problems: DraftProblem[],
): unknown {
  if (c.mode === 'json') {
    if (!c.json.trim()) return null;
    try {
      return JSON.parse(c.json) as unknown;
    } catch (e) {
      problems.push({ field, message: `Invalid JSON: ${e instanceof Error ? e.message : e}` });
      return null;
    }
  }
  const missing = incompleteRules(c.root);
  if (missing > 0)
    problems.push({ field, message: `${missing} rule${missing === 1 ? '' : 's'} without a field` });
  return toCondition(c.root, types, fallback);
}

export interface SerializeContext {
  /** Field types of the trigger's collection (for the trigger condition's values). */
  triggerFieldTypes: FieldTypes;
}

/** The draft as the API's body, with the problems that stop it from being sent. */
export function serialize(
  d: WorkflowDraft,
  ctx: SerializeContext,
): { body: WorkflowInput; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  if (!d.name.trim()) problems.push({ field: 'name', message: 'Enter a name' });
  const t = d.trigger;
  const config: TriggerConfig = {};
  if (isRecordTrigger(t.type)) {
    if (!t.collection)
      problems.push({ field: 'trigger_config.collection', message: 'Choose a collection' });
    config.collection = t.collection;
    const condition = conditionValue(
      t.condition,
      ctx.triggerFieldTypes,
      undefined,
      'trigger_config.condition',
      problems,
    );
    if (condition !== null) config.condition = condition;
  } else if (t.type === 'schedule') {
    config.cron = t.cron.trim();
    config.timezone = t.timezone || 'UTC';
  } else if (t.type === 'http') {
    config.slug = t.slug.trim();
    config.allowed_principals = t.principals;
    config.async = t.async;
  }

  const keys = d.steps.map((s) => s.key);
  const steps = d.steps.map((s, i): Step => {
    const at = (k: string) => `steps[${i}].${k}`;
    const step: Step = { action: s.action };
    if (s.name.trim()) step.name = s.name.trim();
    for (const [k, text, into] of [
      ['retries', s.retries, 'retries'],
      ['timeout_ms', s.timeout, 'timeout_ms'],
    ] as const) {
      if (!text.trim()) continue;
      const n = parseInteger(text);
      if (n === null) problems.push({ field: at(k), message: 'A whole number' });
      else step[into] = n;
    }
    for (const k of ACTION_KEYS[s.action]) {
      if (k === 'condition') {
        const condition = conditionValue(s.condition, {}, 'any', at('condition'), problems);
        if (condition === null && !problems.some((p) => p.field === at('condition')))
          problems.push({ field: at('condition'), message: 'Add at least one rule' });
        step.condition = condition;
        continue;
      }
      if (k === 'then' || k === 'else') {
        const b = s[k];
        if (b.to === 'end') step[k] = null;
        else if (b.to === 'step') {
          const index = keys.indexOf(b.key);
          if (index >= 0) step[k] = index;
        }
        continue;
      }
      const text = s.values[k] ?? '';
      if (text.trim() === '') continue;
      if (INT_KEYS.includes(k)) {
        const n = parseInteger(text);
        if (n === null) problems.push({ field: at(k), message: 'A whole number' });
        else step[k] = n;
      } else if (OBJECT_KEYS.includes(k)) {
        try {
          const v = JSON.parse(text) as unknown;
          if (typeof v !== 'object' || v === null || Array.isArray(v))
            throw new Error('not an object');
          step[k] = v;
        } catch {
          problems.push({ field: at(k), message: 'A JSON object, such as {"key": "value"}' });
        }
      } else if (LOOSE_JSON_KEYS.includes(k)) {
        try {
          step[k] = JSON.parse(text) as unknown;
        } catch {
          // Not JSON: sent as text (e.g. a single {{template}}, or a plain-text body).
          step[k] = text;
        }
      } else step[k] = k === 'code' ? text : text.trim();
    }
    return step;
  });

  return {
    body: {
      name: d.name.trim(),
      description: d.description.trim() || null,
      trigger_type: t.type,
      trigger_config: config,
      steps,
      is_active: d.isActive,
    },
    problems,
  };
}

const TEMPLATE = /\{\{([^{}]*)\}\}/g;
const STEP_REF = /(^|[^\w.])steps\.(\d+)(?=[.\s}"]|$)/g;

function renumberText(text: string, map: (i: number) => number | null): string {
  const inRefs = (s: string) =>
    s.replace(STEP_REF, (m, pre: string, n: string) => {
      const next = map(Number(n));
      return next === null ? m : `${pre}steps.${next}`;
    });
  return text.replace(TEMPLATE, (_m, inner: string) => `{{${inRefs(inner)}}}`);
}

function renumberGroup(g: GroupNode, map: (i: number) => number | null): GroupNode {
  return {
    ...g,
    children: g.children.map((c) =>
      c.kind === 'group'
        ? renumberGroup(c, map)
        : {
            ...c,
            field: c.field.replace(/^steps\.(\d+)/, (m, n: string) => {
              const next = map(Number(n));
              return next === null ? m : `steps.${next}`;
            }),
            value: renumberText(c.value, map),
          },
    ),
  };
}

/**
 * Steps in a new order (or with one removed): `{{steps.N…}}` references and condition paths
 * follow the steps they named; branches follow by key, and a branch to a removed step continues.
 */
export function reorderSteps(steps: StepDraft[], next: StepDraft[]): StepDraft[] {
  const newIndex = new Map(next.map((s, i) => [s.key, i]));
  const map = (i: number) => {
    const key = steps[i]?.key;
    return key === undefined ? null : (newIndex.get(key) ?? null);
  };
  const fixBranch = (b: Branch): Branch =>
    b.to === 'step' && !newIndex.has(b.key) ? { to: 'next' } : b;
  return next.map((s) => ({
    ...s,
    values: Object.fromEntries(
      Object.entries(s.values).map(([k, v]) => [k, k === 'code' ? v : renumberText(v, map)]),
    ),
    condition: {
      ...s.condition,
      root: renumberGroup(s.condition.root, map),
      json: renumberText(
        s.condition.json.replace(/"steps\.(\d+)/g, (m, n: string) => {
          const to = map(Number(n));
          return to === null ? m : `"steps.${to}`;
        }),
        map,
      ),
    },
    then: fixBranch(s.then),
    else: fixBranch(s.else),
  }));
}
