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

/** Who wrote a row: the server keeps these from anonymous callers unless readable fields name them. */
export const ACTOR_COLUMNS = ['created_by_app_user_id', 'created_by_user_id'] as const;

export type PolicyEffect = 'allow' | 'deny';

/** One policy as the editor produces it; collections and buckets map it to their own bodies. */
export interface PolicyDraft {
  name: string;
  action: string;
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

export function splitList(value: string | readonly string[] | null | undefined): string[] {
  if (Array.isArray(value)) return [...(value as readonly string[])];
  return ((value as string | null | undefined) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
