/** What `{{…}}` paths can read while a workflow runs. */
export interface TemplateContext {
  trigger?: unknown;
  input?: unknown;
  steps?: Record<string, { output?: unknown }> | unknown[];
  env?: Record<string, string>;
}

/** A template that cannot be rendered (too large, too deep, or a value that is not JSON). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export const TEMPLATE_ROOTS = ['trigger', 'input', 'steps', 'env'] as const;
export type TemplateRoot = (typeof TEMPLATE_ROOTS)[number];

/** Upper bound on the rendered output, counted in characters of its JSON. */
export const MAX_TEMPLATE_OUTPUT_CHARS = 1024 * 1024;
export const MAX_TEMPLATE_DEPTH = 64;
const MAX_VALUE_DEPTH = 512;

const ROOT_SET: ReadonlySet<string> = new Set(TEMPLATE_ROOTS);
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const PATH = /^[A-Za-z_$][\w$-]*(?:\.[\w$-]+)*$/;
const INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * Renders every string in a JSON value: a string that is exactly one `{{path}}` becomes the raw
 * value (null when missing); other strings get each `{{path}}` replaced by its text.
 * Raw values are the context's own objects, not copies.
 */
export function renderTemplate(value: unknown, ctx: TemplateContext): unknown {
  const budget = { left: MAX_TEMPLATE_OUTPUT_CHARS, sizes: new WeakMap<object, number>() };
  return renderValue(value, ctx, budget, 0);
}

/** Every `{{path}}` used in a JSON value, in order of appearance, without duplicates. */
export function templatePaths(value: unknown): string[] {
  const found = new Set<string>();
  walkStrings(value, 0, (s) => {
    for (const m of s.matchAll(PLACEHOLDER)) found.add(m[1]);
  });
  return [...found];
}

/** Problems with the `{{path}}`s of the step at `stepIndex` (which may read only earlier steps). */
export function validateTemplatePaths(
  value: unknown,
  opts: { stepIndex: number; stepCount: number },
): string[] {
  const problems: string[] = [];
  for (const path of templatePaths(value)) {
    const problem = pathProblem(path, opts);
    if (problem) problems.push(`{{${path}}}: ${problem}`);
  }
  return problems;
}

/** Reads one dotted path from the context; `undefined` when any segment is missing. */
export function resolvePath(ctx: TemplateContext, path: string): unknown {
  if (!PATH.test(path)) return undefined;
  const [root, ...rest] = path.split('.');
  if (!ROOT_SET.has(root)) return undefined;
  let current: unknown = ctx[root as TemplateRoot];
  for (const segment of rest) {
    current = child(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

function child(value: unknown, segment: string): unknown {
  if (value === null || typeof value !== 'object' || FORBIDDEN_SEGMENTS.has(segment)) {
    return undefined;
  }
  if (Array.isArray(value)) {
    return INDEX.test(segment) ? value[Number(segment)] : undefined;
  }
  return Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
}

function pathProblem(path: string, opts: { stepIndex: number; stepCount: number }): string | null {
  if (!PATH.test(path)) return 'not a path (dotted names, e.g. trigger.record.title)';
  const [root, index] = path.split('.');
  if (!ROOT_SET.has(root)) {
    return `unknown root "${root}" (expected ${TEMPLATE_ROOTS.join(', ')})`;
  }
  if (root !== 'steps' || index === undefined) return null;
  if (!INDEX.test(index)) return `"${index}" is not a step index`;
  const n = Number(index);
  if (n >= opts.stepCount) return `there is no step ${n} (the workflow has ${opts.stepCount})`;
  if (n >= opts.stepIndex) return `step ${n} does not run before step ${opts.stepIndex}`;
  return null;
}

interface Budget {
  left: number;
  sizes: WeakMap<object, number>;
}

function renderValue(value: unknown, ctx: TemplateContext, budget: Budget, depth: number): unknown {
  if (depth > MAX_TEMPLATE_DEPTH) {
    throw new TemplateError(`template is nested deeper than ${MAX_TEMPLATE_DEPTH} levels`);
  }
  if (typeof value === 'string') return renderString(value, ctx, budget);
  if (Array.isArray(value)) {
    spend(budget, 2);
    return value.map((item) => renderValue(item, ctx, budget, depth + 1));
  }
  if (value !== null && typeof value === 'object') {
    spend(budget, 2);
    // fromEntries defines own properties, so a "__proto__" key stays a key.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        spend(budget, key.length + 4);
        return [key, renderValue(item, ctx, budget, depth + 1)];
      }),
    );
  }
  spend(budget, value === undefined ? 4 : String(value).length);
  return value;
}

function renderString(s: string, ctx: TemplateContext, budget: Budget): unknown {
  const whole = WHOLE_PLACEHOLDER.exec(s);
  if (whole) {
    const raw = resolvePath(ctx, whole[1]);
    spend(budget, jsonSize(raw, budget));
    return raw === undefined ? null : raw;
  }
  if (!s.includes('{{')) {
    spend(budget, s.length + 2);
    return s;
  }
  let length = s.length;
  const out = s.replace(PLACEHOLDER, (_m, path: string) => {
    const value = resolvePath(ctx, path);
    if (typeof value === 'object' && value !== null) {
      // Measured before stringifying, so a huge value fails without being copied.
      const size = jsonSize(value, budget);
      if (length + size > budget.left) spend(budget, length + size);
    }
    const text = asText(value);
    length += text.length;
    if (length > budget.left) spend(budget, length);
    return text;
  });
  spend(budget, out.length + 2);
  return out;
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value) ?? '';
    } catch (err) {
      throw new TemplateError(`value is not JSON: ${(err as Error).message}`);
    }
  }
  return String(value);
}

/** Approximate JSON length of a value, giving up (TemplateError) past the budget. */
function jsonSize(value: unknown, budget: Budget): number {
  if (value === undefined) return 4;
  if (value === null || typeof value !== 'object') return String(value).length + 2;
  const known = budget.sizes.get(value);
  if (known !== undefined) return known;
  let total = 0;
  const visit = (v: unknown, depth: number): void => {
    if (depth > MAX_VALUE_DEPTH) throw new TemplateError('value is nested too deeply to be JSON');
    if (v === null || typeof v !== 'object') {
      total += v === undefined ? 4 : String(v).length + 2;
    } else if (v instanceof Date) {
      total += 26;
    } else {
      const cached = budget.sizes.get(v);
      if (cached !== undefined) total += cached;
      else {
        for (const [key, item] of Object.entries(v)) {
          total += key.length + 4;
          visit(item, depth + 1);
        }
        total += 2;
      }
    }
    if (total > budget.left) spend(budget, total);
  };
  visit(value, 0);
  budget.sizes.set(value, total);
  return total;
}

function spend(budget: Budget, chars: number): void {
  budget.left -= chars;
  if (budget.left < 0) {
    throw new TemplateError(`rendered template exceeds ${MAX_TEMPLATE_OUTPUT_CHARS} characters`);
  }
}

function walkStrings(value: unknown, depth: number, visit: (s: string) => void): void {
  if (depth > MAX_TEMPLATE_DEPTH) return;
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((item) => walkStrings(item, depth + 1, visit));
  else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) walkStrings(item, depth + 1, visit);
  }
}
