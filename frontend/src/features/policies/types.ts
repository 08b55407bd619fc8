export const POLICY_ACTIONS = ['list', 'read', 'create', 'update', 'delete'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];
export const POLICY_EFFECTS = ['allow', 'deny'] as const;
export type PolicyEffect = (typeof POLICY_EFFECTS)[number];

/** The principals the server accepts in `allowed_principals`. */
export const PRINCIPALS = [
  { value: 'app_user', label: 'App users', hint: 'Signed-in end users of your app' },
  { value: 'anonymous', label: 'Anonymous', hint: 'Requests without credentials' },
  { value: 'api_key', label: 'API keys', hint: 'Server-side keys' },
  { value: 'admin_user', label: 'Admins', hint: 'Project members using the console' },
] as const;
export type Principal = (typeof PRINCIPALS)[number]['value'];
/** What the server applies when `allowed_principals` is empty. */
export const DEFAULT_PRINCIPALS: Principal[] = ['admin_user', 'api_key'];

export interface Policy {
  id: string;
  collection_id: string;
  name: string;
  action: PolicyAction;
  effect: PolicyEffect;
  condition_json: string | null;
  condition: unknown;
  is_active: boolean;
  priority: number;
  /** Comma string, as the original API returns it. */
  allowed_principals: string;
  require_email_verified: boolean;
  allowed_roles: string | null;
  read_fields: string[] | null;
  write_fields: string[] | null;
  created_at: string;
  updated_at: string;
}

export interface PolicyInput {
  name: string;
  action: PolicyAction;
  effect: PolicyEffect;
  condition: unknown;
  priority: number;
  is_active: boolean;
  allowed_principals: string[];
  allowed_roles: string[];
  require_email_verified: boolean;
  read_fields: string[] | null;
  write_fields: string[] | null;
}

export interface ExplainStep {
  policy_id: string;
  name: string;
  priority: number;
  effect: PolicyEffect;
  result: 'skipped' | 'matches_all_rows' | 'matches_some_rows' | 'matches_no_rows' | 'not_reached';
  reason: string;
  condition: string | null;
}

export interface ExplainResult {
  action: PolicyAction;
  as: string;
  principal: Record<string, unknown>;
  decision: 'allow_all' | 'row_filter' | 'deny';
  status: number;
  detail: string;
  decided_by: { id: string; name: string; effect: PolicyEffect } | null;
  steps: ExplainStep[];
  row_filter: string | null;
}

export interface PolicyRole {
  id: string;
  name: string;
  display_name: string;
}

export interface PolicyAppUser {
  id: string;
  email: string;
}

export function splitList(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
