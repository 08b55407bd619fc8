import type { Project } from './admin';
import { createBackupsApi, restoreArchive, type BackupsApi } from './backups';
import { seg, type BinaryBody, type CallOptions, type Transport } from './http';

/** An app-user role of the project (RBAC). */
export interface Role {
  id: string;
  project_id: string;
  /** Letters, digits and `_ . : -`, 1-63 characters. */
  name: string;
  display_name: string;
  description: string | null;
  /** New app users get the default roles. */
  is_default: boolean;
  is_system: boolean;
  created_at: string;
  updated_at: string;
}

export interface CreateRoleInput {
  name: string;
  display_name?: string;
  description?: string | null;
  is_default?: boolean;
}

export type UpdateRoleInput = Partial<CreateRoleInput>;

/** App-user roles of one project (`/api/projects/{pid}/rbac`). */
export interface RbacApi {
  roles(call?: CallOptions): Promise<Role[]>;
  getRole(roleId: string, call?: CallOptions): Promise<Role>;
  createRole(input: CreateRoleInput): Promise<Role>;
  updateRole(roleId: string, input: UpdateRoleInput): Promise<Role>;
  deleteRole(roleId: string): Promise<void>;
  /** Creates the default roles that are missing; `roles_created` may be 0. */
  initialize(): Promise<{ roles_created: number }>;
  /** The roles of one app user. */
  userRoles(appUserId: string, call?: CallOptions): Promise<{ app_user_id: string; roles: Role[] }>;
  assignRoles(
    appUserId: string,
    roleIds: string[],
  ): Promise<{ app_user_id: string; roles: Role[] }>;
  unassignRole(appUserId: string, roleId: string): Promise<void>;
}

/** An app user as the project's administrators see it. */
export interface AdminAppUser {
  id: string;
  email: string;
  is_email_verified: boolean;
  is_disabled: boolean;
  created_at: string;
  updated_at?: string;
}

export interface AppUserList {
  users: AdminAppUser[];
  total: number;
  limit: number;
  offset: number;
}

export interface AppUserInput {
  email?: string;
  /** Omitted on create: the user signs in another way (magic link, OTP, OAuth). */
  password?: string;
  is_email_verified?: boolean;
  is_disabled?: boolean;
}

/** One signed-in device of an app user. */
export interface AdminAppUserSession {
  id: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string;
  ip_address: string | null;
  user_agent: string | null;
  current: boolean;
}

export type AppUserMailKind = 'password_reset' | 'magic_link' | 'verification';
export interface AppUserMailSent {
  sent: AppUserMailKind;
  to: string;
  message: string;
}

/** App users of one project, managed by its administrators (`/settings/auth/users`). */
export interface AppUsersAdminApi {
  /** `search` matches the email; pages of `limit` (default 50) from `offset`. */
  list(
    params?: { search?: string; limit?: number; offset?: number },
    call?: CallOptions,
  ): Promise<AppUserList>;
  get(userId: string, call?: CallOptions): Promise<AdminAppUser>;
  create(input: AppUserInput & { email: string }): Promise<AdminAppUser>;
  update(userId: string, input: AppUserInput): Promise<AdminAppUser>;
  delete(userId: string): Promise<void>;
  /** Ends every session of the user. */
  revokeSessions(userId: string): Promise<void>;
  /** Mails the user a password-reset link, a magic sign-in link or an address verification link. */
  sendMail(userId: string, kind: AppUserMailKind): Promise<AppUserMailSent>;
  sessions(userId: string, call?: CallOptions): Promise<{ sessions: AdminAppUserSession[] }>;
}

export type OAuthProviderName = 'google' | 'github' | 'oidc';

export interface OAuthProviderSettings {
  enabled: boolean;
  client_id: string | null;
  /** The secret itself is never returned. */
  client_secret_set: boolean;
  issuer?: string | null;
}

/** How the project's app users sign in and how long their sessions live. */
export interface AuthSettings {
  enable_email_password: boolean;
  enable_magic_link: boolean;
  enable_otp: boolean;
  enable_oauth_google: boolean;
  enable_oauth_github: boolean;
  enable_oauth_oidc: boolean;
  access_ttl_minutes: number;
  refresh_ttl_days: number;
  session_mode: 'header' | 'cookie';
  allow_public_signup: boolean;
  require_email_verification: boolean;
  lockout_threshold: number;
  lockout_minutes: number;
  allowed_redirect_uris: string[];
  oauth_providers: Record<OAuthProviderName, OAuthProviderSettings>;
}

export interface OAuthProviderUpdate {
  enabled?: boolean;
  client_id?: string | null;
  /** Write-only: a string sets it, null clears it, absent keeps it. */
  client_secret?: string | null;
  issuer?: string | null;
}

export type AuthSettingsUpdate = Partial<
  Omit<AuthSettings, 'oauth_providers'> & {
    oauth_providers: Partial<Record<OAuthProviderName, OAuthProviderUpdate>>;
  }
>;

/** App-user authentication settings of one project (`/settings/auth`). */
export interface AuthSettingsApi {
  get(call?: CallOptions): Promise<AuthSettings>;
  /** Changes the given settings; the rest stay. */
  update(input: AuthSettingsUpdate): Promise<AuthSettings>;
}

/** A mail the server would have sent (kept when no SMTP server is configured). */
export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  kind: string;
  created_at: string;
}

/** The project's development mailbox (`/mailbox`). */
export interface MailboxApi {
  list(call?: CallOptions): Promise<{ messages: MailboxMessage[] }>;
  clear(): Promise<void>;
}

/** Per-project administration besides schema and API keys. */
export interface ProjectAdminApis {
  rbac(projectId: string): RbacApi;
  appUsers(projectId: string): AppUsersAdminApi;
  authSettings(projectId: string): AuthSettingsApi;
  mailbox(projectId: string): MailboxApi;
  /** Archives, stored backups and their schedule (owners and admins). */
  backups(projectId: string): BackupsApi;
  /** Creates a new project from a backup archive (any signed-in administrator). */
  restoreProject(archive: BinaryBody, options?: { name?: string }): Promise<Project>;
}

export function createProjectAdminApis(http: Transport): ProjectAdminApis {
  const at = (pid: string) => `/api/projects/${seg(pid)}`;
  return {
    rbac: (pid) => {
      const base = `${at(pid)}/rbac`;
      const role = (id: string) => `${base}/roles/${seg(id)}`;
      const userRoles = (userId: string) => `${base}/users/${seg(userId)}/roles`;
      return {
        roles: (call) => http.request('GET', `${base}/roles`, call),
        getRole: (id, call) => http.request('GET', role(id), call),
        createRole: (body) => http.request('POST', `${base}/roles`, { body }),
        updateRole: (id, body) => http.request('PATCH', role(id), { body }),
        deleteRole: (id) => http.request('DELETE', role(id)),
        initialize: () => http.request('POST', `${base}/initialize`),
        userRoles: (userId, call) => http.request('GET', userRoles(userId), call),
        assignRoles: (userId, roleIds) =>
          http.request('POST', userRoles(userId), { body: { role_ids: roleIds } }),
        unassignRole: (userId, roleId) =>
          http.request('DELETE', `${userRoles(userId)}/${seg(roleId)}`),
      };
    },
    appUsers: (pid) => {
      const base = `${at(pid)}/settings/auth/users`;
      const user = (id: string) => `${base}/${seg(id)}`;
      return {
        // The original's array; the total comes in X-Total-Count.
        list: async (params = {}, call) => {
          let total: number | null = null;
          const users = await http.request<AdminAppUser[]>('GET', base, {
            query: { ...params },
            ...call,
            onHeaders: (h) => {
              const t = h.get('x-total-count');
              total = t === null ? null : Number(t);
            },
          });
          return {
            users,
            total: total ?? users.length,
            limit: params.limit ?? 50,
            offset: params.offset ?? 0,
          };
        },
        get: (id, call) => http.request('GET', user(id), call),
        create: (body) => http.request('POST', base, { body }),
        update: (id, body) => http.request('PATCH', user(id), { body }),
        delete: (id) => http.request('DELETE', user(id)),
        revokeSessions: (id) => http.request('POST', `${user(id)}/revoke-sessions`),
        sendMail: (id, kind) => http.request('POST', `${user(id)}/send`, { body: { kind } }),
        sessions: (id, call) => http.request('GET', `${user(id)}/sessions`, call),
      };
    },
    authSettings: (pid) => ({
      get: (call) => http.request('GET', `${at(pid)}/settings/auth`, call),
      update: (body) => http.request('PUT', `${at(pid)}/settings/auth`, { body }),
    }),
    mailbox: (pid) => ({
      list: (call) => http.request('GET', `${at(pid)}/mailbox`, call),
      clear: () => http.request('DELETE', `${at(pid)}/mailbox`),
    }),
    backups: (pid) => createBackupsApi(http, pid),
    restoreProject: (archive, options) => restoreArchive(http, archive, options),
  };
}
