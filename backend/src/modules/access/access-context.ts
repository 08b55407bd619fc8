import type { ProjectRole } from '../projects/membership.entity';

/** Who is calling a project's data routes. Every records query runs under one of these. */
export type DataPrincipal =
  | { kind: 'admin'; userId: string; role: ProjectRole }
  /** `service` keys pass row policies and field lists; `public` keys are under them. */
  | { kind: 'api_key'; keyId: string; keyKind: 'service' | 'public' }
  | { kind: 'app_user'; userId: string; emailVerified: boolean; roles: string[] }
  | { kind: 'anonymous' }
  /**
   * A workflow's record steps: a service identity (validations apply, row policies do not, as
   * for a service key); its writes name the workflow as actor and carry the run's depth.
   */
  | { kind: 'workflow'; workflowId: string; runId: string; depth: number };

export interface AccessContext {
  readonly projectId: string;
  readonly principal: DataPrincipal;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export type RecordAction = 'list' | 'read' | 'create' | 'update' | 'delete';
