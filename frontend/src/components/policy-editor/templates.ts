import { emptyGroup, newRule, type GroupNode } from '@/components/condition-builder/condition';
import type { Principal } from './principals';

/** What a template sets in the policy form; everything else goes back to its default. */
export interface TemplateResult {
  name: string;
  action: string;
  /** Also create the paired action (list + read for collections, read + write for buckets). */
  paired: boolean;
  principals: Principal[];
  roles: string[];
  root: GroupNode;
}

export interface PolicyTemplate {
  id: 'public-read' | 'signed-in' | 'owner-only' | 'role-read-only';
  label: string;
  /** The template in one plain sentence. */
  summary: string;
  apply: (ctx: { readAction: string; role: string | undefined }) => TemplateResult;
}

const ownerRoot = (): GroupNode => ({
  ...emptyGroup(),
  children: [{ ...newRule('created_by_app_user_id'), source: '$current_app_user_id' }],
});

export const POLICY_TEMPLATES: readonly PolicyTemplate[] = [
  {
    id: 'public-read',
    label: 'Public read',
    summary: 'Anyone, signed in or not, may read every row. Who wrote a row stays hidden.',
    apply: ({ readAction }) => ({
      name: 'public read',
      action: readAction,
      paired: readAction === 'list',
      principals: ['anonymous', 'app_user'],
      roles: [],
      root: emptyGroup(),
    }),
  },
  {
    id: 'signed-in',
    label: 'Signed-in users',
    summary: 'Any signed-in app user may read every row; anonymous callers get 401.',
    apply: ({ readAction }) => ({
      name: 'signed-in users read',
      action: readAction,
      paired: readAction === 'list',
      principals: ['app_user'],
      roles: [],
      root: emptyGroup(),
    }),
  },
  {
    id: 'owner-only',
    label: 'Owner only',
    summary: 'App users reach only the rows they created (created_by_app_user_id is theirs).',
    apply: ({ readAction }) => ({
      name: 'owner only',
      action: readAction,
      paired: true,
      principals: ['app_user'],
      roles: [],
      root: ownerRoot(),
    }),
  },
  {
    id: 'role-read-only',
    label: 'Read-only for a role',
    summary: 'App users holding the role may read every row, and nothing more.',
    apply: ({ readAction, role }) => ({
      name: role ? `read-only for ${role}` : 'read-only for a role',
      action: readAction,
      paired: readAction === 'list',
      principals: ['app_user'],
      roles: role ? [role] : [],
      root: emptyGroup(),
    }),
  },
];
