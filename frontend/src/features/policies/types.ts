import type { Principal } from '@/components/policy-editor/principals';
export type { ExplainStep, Policy, PolicyExplanation as ExplainResult } from '@backendify/client';

export const POLICY_ACTIONS = ['list', 'read', 'create', 'update', 'delete'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];
export const POLICY_EFFECTS = ['allow', 'deny'] as const;
export type PolicyEffect = (typeof POLICY_EFFECTS)[number];

export {
  DEFAULT_PRINCIPALS,
  PRINCIPALS,
  splitList,
  type Principal,
} from '@/components/policy-editor/principals';
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
