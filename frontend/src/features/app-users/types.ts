export type {
  AdminAppUser as AppUser,
  AdminAppUserSession as AppUserSession,
  AppUserInput,
  AppUserList,
  AppUserMailKind,
} from '@backendify/client';

export interface AssignableRole {
  id: string;
  name: string;
  display_name: string;
  is_default: boolean;
}

export const USERS_PAGE_SIZE = 20;
