import { seg, type CallOptions, type Transport } from './http';
import { createProjectAdminApis, type ProjectAdminApis } from './project-admin';
import { createSchemaApi, type SchemaApi } from './schema';
import type { TokenPair } from './storage';

/** Tokens returned by `register`, `login` and `refresh`. */
export interface AuthTokens extends TokenPair {
  token_type: 'bearer';
  /** Access token lifetime in seconds. */
  expires_in: number;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface AdminUser {
  id: string;
  email: string;
  /** Proven by the link mailed at signup; needed to invite others. */
  is_email_verified: boolean;
  created_at: string;
}

export type ProjectRole = 'owner' | 'admin' | 'developer' | 'viewer';

export interface Project {
  id: string;
  name: string;
  /** The caller's role in the project. */
  role: ProjectRole;
  created_at: string;
  updated_at: string;
}

export interface ProjectMember {
  user_id: string;
  email: string;
  role: ProjectRole;
  created_at: string;
}

/** `members.add` for an address without a verified console account: an invitation was mailed. */
export interface InvitedMember {
  invited: true;
  email: string;
  role: ProjectRole;
  expires_at: string;
}

export interface ProjectInvitation {
  id: string;
  email: string;
  role: ProjectRole;
  /** User id of the inviting admin. */
  invited_by: string | null;
  created_at: string;
  expires_at: string;
}

/**
 * `service`: for servers only; passes row policies and readable-field lists (like Supabase's
 * service role). `public`: safe to ship in apps; the principal `api_key` under policies.
 */
export type ApiKeyKind = 'service' | 'public';

export interface ApiKey {
  id: string;
  name: string;
  /** First characters of the key, to recognise it. */
  prefix: string;
  kind: ApiKeyKind;
  revoked: boolean;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

/** A new key; `api_key` is shown only in this response. */
export interface CreatedApiKey extends ApiKey {
  api_key: string;
}

export interface CreateApiKeyInput {
  name: string;
  /** Default `service`. */
  kind?: ApiKeyKind;
  /** ISO 8601 time after which the key stops working. */
  expires_at?: string | null;
}

/** Console-administrator authentication (`/api/auth/*`, `/api/me`). */
export interface AdminAuthApi {
  /** Creates an administrator account and keeps its session. */
  register(credentials: Credentials): Promise<AuthTokens>;
  /** Logs in and keeps the session; later calls send its access token. */
  login(credentials: Credentials): Promise<AuthTokens>;
  /** Rotates the kept session now; resolves false when there is no session or it was rejected. */
  refresh(): Promise<boolean>;
  /** Revokes the kept refresh token on the server and forgets the session. */
  logout(): Promise<void>;
  /** The logged-in administrator. */
  me(): Promise<AdminUser>;
  /** Confirms the address with the `token=` of the mailed link (signed in as that account). */
  verifyEmail(token: string): Promise<{ message: string; email: string }>;
  /** Mails a fresh verification link. */
  resendVerification(): Promise<{ message: string }>;
  /** Joins the project of a mailed invitation (signed in with the invited address). */
  acceptInvitation(token: string): Promise<{ project_id: string; role: ProjectRole }>;
  /** The kept session, if any. */
  getSession(): Promise<TokenPair | null>;
  /** Replaces the kept session (e.g. one restored from elsewhere); `null` forgets it. */
  setSession(tokens: TokenPair | null): Promise<void>;
}

/** Project members (`/api/projects/{pid}/members`). */
export interface MembersApi {
  list(projectId: string): Promise<ProjectMember[]>;
  /** Adds a verified administrator at once; any other address is mailed an invitation. */
  add(
    projectId: string,
    input: { email: string; role: ProjectRole },
  ): Promise<ProjectMember | InvitedMember>;
  /** Pending invitations; owners may resend (new link and expiry) or revoke them. */
  invitations(projectId: string): Promise<ProjectInvitation[]>;
  resendInvitation(projectId: string, invitationId: string): Promise<ProjectInvitation>;
  revokeInvitation(projectId: string, invitationId: string): Promise<void>;
  update(projectId: string, userId: string, input: { role: ProjectRole }): Promise<ProjectMember>;
  remove(projectId: string, userId: string): Promise<void>;
}

/** Projects the logged-in administrator is a member of. */
export interface ProjectsApi {
  list(call?: CallOptions): Promise<Project[]>;
  create(input: { name: string }): Promise<Project>;
  get(projectId: string, call?: CallOptions): Promise<Project>;
  update(projectId: string, input: { name: string }): Promise<Project>;
  delete(projectId: string): Promise<void>;
  members: MembersApi;
}

/** API keys of one project (`/api/projects/{pid}/api-keys`). */
export interface ApiKeysApi {
  list(call?: CallOptions): Promise<ApiKey[]>;
  create(input: CreateApiKeyInput): Promise<CreatedApiKey>;
  revoke(keyId: string): Promise<void>;
  delete(keyId: string): Promise<void>;
}

/** Administration: auth, projects, members, API keys and schema. */
export interface AdminApi extends ProjectAdminApis {
  auth: AdminAuthApi;
  projects: ProjectsApi;
  apiKeys(projectId: string): ApiKeysApi;
  /** Collections, fields, relations and policies of one project. */
  schema(projectId: string): SchemaApi;
}

export function createAdminApi(http: Transport): AdminApi {
  const keep = async (tokens: AuthTokens): Promise<AuthTokens> => {
    await http.storage.set({
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
    });
    return tokens;
  };
  const auth: AdminAuthApi = {
    register: async (body) =>
      keep(await http.request<AuthTokens>('POST', '/api/auth/register', { body, auth: 'none' })),
    login: async (body) =>
      keep(await http.request<AuthTokens>('POST', '/api/auth/login', { body, auth: 'none' })),
    refresh: () => http.refresh(),
    logout: async () => {
      const session = await http.storage.get();
      await http.storage.set(null);
      if (session) {
        await http.request<void>('POST', '/api/auth/logout', {
          body: { refresh_token: session.refresh_token },
          auth: 'none',
        });
      }
    },
    me: () => http.request<AdminUser>('GET', '/api/me'),
    verifyEmail: (token) => http.request('POST', '/api/auth/verify-email', { body: { token } }),
    resendVerification: () => http.request('POST', '/api/auth/verify-email/resend'),
    acceptInvitation: (token) =>
      http.request('POST', '/api/auth/invitations/accept', { body: { token } }),
    getSession: async () => http.storage.get(),
    setSession: async (tokens) => http.storage.set(tokens),
  };
  const project = (pid: string) => `/api/projects/${seg(pid)}`;
  const members: MembersApi = {
    list: (pid) => http.request('GET', `${project(pid)}/members`),
    add: (pid, body) => http.request('POST', `${project(pid)}/members`, { body }),
    update: (pid, userId, body) =>
      http.request('PATCH', `${project(pid)}/members/${seg(userId)}`, { body }),
    remove: (pid, userId) => http.request('DELETE', `${project(pid)}/members/${seg(userId)}`),
    invitations: (pid) => http.request('GET', `${project(pid)}/invitations`),
    resendInvitation: (pid, id) =>
      http.request('POST', `${project(pid)}/invitations/${seg(id)}/resend`),
    revokeInvitation: (pid, id) => http.request('DELETE', `${project(pid)}/invitations/${seg(id)}`),
  };
  const projects: ProjectsApi = {
    list: (call) => http.request('GET', '/api/projects', call),
    create: (body) => http.request('POST', '/api/projects', { body }),
    get: (pid, call) => http.request('GET', project(pid), call),
    update: (pid, body) => http.request('PATCH', project(pid), { body }),
    delete: (pid) => http.request('DELETE', project(pid)),
    members,
  };
  const apiKeys = (pid: string): ApiKeysApi => {
    const base = `${project(pid)}/api-keys`;
    return {
      list: (call) => http.request('GET', base, call),
      create: (body) => http.request('POST', base, { body }),
      revoke: (keyId) => http.request('POST', `${base}/${seg(keyId)}/revoke`),
      delete: (keyId) => http.request('DELETE', `${base}/${seg(keyId)}`),
    };
  };
  return {
    auth,
    projects,
    apiKeys,
    schema: (pid) => createSchemaApi(http, pid),
    ...createProjectAdminApis(http),
  };
}
