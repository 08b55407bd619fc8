export interface AppUser {
  id: string;
  email: string;
  is_email_verified: boolean;
  is_disabled: boolean;
  created_at: string;
  updated_at?: string;
}

export interface AppUserList {
  users: AppUser[];
  total: number;
  limit: number;
  offset: number;
}

export interface AppUserSession {
  id: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string;
  ip_address: string | null;
  user_agent: string | null;
  current: boolean;
}

export interface AssignableRole {
  id: string;
  name: string;
  display_name: string;
  is_default: boolean;
}

export interface AppUserInput {
  email?: string;
  password?: string;
  is_email_verified?: boolean;
  is_disabled?: boolean;
}

export const USERS_PAGE_SIZE = 20;
