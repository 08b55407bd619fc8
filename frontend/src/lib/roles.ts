export const PROJECT_ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<ProjectRole, string> = {
  owner: 'Full control, including members and deleting the project',
  admin: 'Manage schema, data, access rules and integrations',
  developer: 'Build with schema, data and API keys',
  viewer: 'Read-only access',
};

export function roleTone(role: string): 'accent' | 'success' | 'neutral' | 'warning' {
  if (role === 'owner') return 'accent';
  if (role === 'admin') return 'success';
  if (role === 'developer') return 'warning';
  return 'neutral';
}
