export type ConfigKind = 'int' | 'number' | 'str' | 'list' | 'any';

export interface RuleType {
  type: string;
  applies_to: string[];
  config_schema: Record<string, ConfigKind>;
  required_config: string[];
  default_message: string;
  description: string;
}

export interface ValidationRule {
  id: string;
  field_id: string;
  field_name: string;
  collection_id: string;
  rule_type: string;
  config: Record<string, unknown>;
  error_message: string | null;
  priority: number;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

export interface RuleInput {
  rule_type: string;
  config: Record<string, unknown>;
  error_message: string | null;
  priority: number;
  is_active: boolean;
}

export interface ValidateResult {
  valid: boolean;
  errors: { field: string; rule: string; message: string }[];
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
