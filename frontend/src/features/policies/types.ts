export type { ExplainStep, Policy, PolicyExplanation as ExplainResult } from '@backendify/client';

export const POLICY_ACTIONS = ['list', 'read', 'create', 'update', 'delete'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];
export const POLICY_EFFECTS = ['allow', 'deny'] as const;
export type PolicyEffect = (typeof POLICY_EFFECTS)[number];

/** The principals the server accepts in `allowed_principals`. */
export const PRINCIPALS = [
  { value: 'app_user', label: 'App users', hint: 'Signed-in end users of your app' },
  { value: 'anonymous', label: 'Anonymous', hint: 'Requests without credentials' },
  { value: 'api_key', label: 'Public API keys', hint: 'Keys of kind “public”, shipped in apps' },
  {
    value: 'admin_user',
    label: 'Admins',
    hint: 'Project members using the console (they pass policies anyway)',
  },
] as const;
export type Principal = (typeof PRINCIPALS)[number]['value'];
/** What the server applies when `allowed_principals` is empty. */
export const DEFAULT_PRINCIPALS: Principal[] = ['admin_user', 'api_key'];

export interface PolicyInput {
  name: string;
  action: PolicyAction;
  effect: PolicyEffect;
  condition: unknown;
  priority: number;
  is_active: boolean;
  allowed_principals: Principal[];
  allowed_roles: string[];
  require_email_verified: boolean;
  read_fields: string[] | null;
  write_fields: string[] | null;
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
