import type { ProjectRole } from '@/lib/roles';

export interface Member {
  user_id: string;
  email: string;
  role: ProjectRole;
  created_at: string;
}
