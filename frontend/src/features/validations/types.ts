import type { RuleType as RuleTypeName } from '@backendify/client';

export type {
  RuleConfigKind as ConfigKind,
  RuleTypeInfo as RuleType,
  ValidateResult,
  ValidationRule,
} from '@backendify/client';

export interface RuleInput {
  rule_type: RuleTypeName;
  config: Record<string, unknown>;
  error_message: string | null;
  priority: number;
  is_active: boolean;
}

/** `{min}` placeholders filled from the config, as the server does. */
export function renderMessage(template: string, config: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = config[key];
    if (v === undefined) return whole;
    return Array.isArray(v) ? v.join(', ') : String(v);
  });
}

export function formatConfigValue(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => JSON.stringify(x)).join(', ');
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}
