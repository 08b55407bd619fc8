import type { ProjectRole } from '../projects/membership.entity';

/** Who is calling a project's data routes. Every records query runs under one of these. */
export type DataPrincipal =
  | { kind: 'admin'; userId: string; role: ProjectRole }
  | { kind: 'api_key'; keyId: string }
  | { kind: 'app_user'; userId: string; emailVerified: boolean; roles: string[] }
  | { kind: 'anonymous' };

export interface AccessContext {
  readonly projectId: string;
  readonly principal: DataPrincipal;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export type RecordAction = 'list' | 'read' | 'create' | 'update' | 'delete';
