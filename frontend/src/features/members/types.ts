import type { ProjectRole } from '@/lib/roles';

export interface Member {
  user_id: string;
  email: string;
  role: ProjectRole;
  created_at: string;
}

/** A pending invitation of an address that has no verified console account yet. */
export interface Invitation {
  id: string;
  email: string;
  role: ProjectRole;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
}

/** `POST /members` answers 202 with this when it mailed an invitation instead of adding. */
export interface InvitedMember {
  invited: true;
  email: string;
  role: ProjectRole;
  expires_at: string;
}
