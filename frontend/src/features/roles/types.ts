export interface Role {
  id: string;
  project_id: string;
  name: string;
  display_name: string;
  description: string | null;
  is_default: boolean;
  is_system: boolean;
  created_at: string;
  updated_at: string;
}

/** The server's rule for role names (they travel inside comma lists). */
export const ROLE_NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,63}$/;
