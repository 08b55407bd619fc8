import type { StepDraft } from './draft';
import { ACTION_LABELS, isRecordTrigger, type StepAction, type TriggerType } from './types';

/** One `{{path}}` the autocomplete offers. */
export interface TemplateSuggestion {
  path: string;
  hint: string;
}

const OUTPUT_PATHS: Partial<Record<StepAction, string[]>> = {
  http_request: ['status', 'body', 'headers'],
  create_record: ['id'],
  update_record: ['id'],
  delete_record: ['deleted', 'id'],
  query_records: ['records', 'count', 'total'],
  send_email: ['queued', 'message_id'],
  condition: ['result'],
  delay: ['delayed_until'],
};

export interface SuggestionContext {
  triggerType: TriggerType;
  /** Field names of the trigger's collection (record triggers). */
  recordFields: string[];
  /** The steps before the one being edited. */
  earlierSteps: StepDraft[];
  secrets: string[];
}

/** Every path a step's templates may name: the trigger, the input, earlier steps, secrets. */
export function templateSuggestions(ctx: SuggestionContext): TemplateSuggestion[] {
  const out: TemplateSuggestion[] = [];
  if (isRecordTrigger(ctx.triggerType)) {
    for (const f of ctx.recordFields)
      out.push({ path: `trigger.record.${f}`, hint: 'the record that triggered the run' });
    if (ctx.triggerType !== 'record.created')
      for (const f of ctx.recordFields)
        out.push({ path: `trigger.old_record.${f}`, hint: 'the record before the change' });
    out.push({ path: 'trigger.collection', hint: 'the collection name' });
  }
  out.push({ path: 'trigger.event', hint: 'the event that started the run' });
  out.push({ path: 'input', hint: 'the run input (a function call’s JSON body)' });
  out.push({ path: 'input.', hint: 'a key of the input' });
  ctx.earlierSteps.forEach((s, i) => {
    const label = s.name.trim() || ACTION_LABELS[s.action].label;
    out.push({ path: `steps.${i}.output`, hint: `output of step ${i + 1} (${label})` });
    for (const p of OUTPUT_PATHS[s.action] ?? [])
      out.push({ path: `steps.${i}.output.${p}`, hint: `step ${i + 1} (${label})` });
  });
  for (const name of ctx.secrets) out.push({ path: `env.${name}`, hint: 'secret' });
  return out;
}

/** The `{{partial` being typed just before the caret, if any. */
export function openTemplate(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /\{\{\s*([\w.-]*)$/.exec(before);
  if (!m) return null;
  return { start: m.index, query: m[1] ?? '' };
}

/** Replaces the partial `{{query` at `start` with `{{path}}` (dropping `}}` typed already). */
export function insertTemplate(
  text: string,
  start: number,
  caret: number,
  path: string,
): { text: string; caret: number } {
  const rest = text.slice(caret).replace(/^[\w.-]*\s*\}\}/, '');
  const inserted = `{{${path}}}`;
  // A path ending in "." waits for the rest: leave the caret before the braces.
  const open = path.endsWith('.');
  return {
    text: text.slice(0, start) + inserted + rest,
    caret: start + inserted.length - (open ? 2 : 0),
  };
}
