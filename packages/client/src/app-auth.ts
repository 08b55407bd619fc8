import type { AuthTokens, Credentials } from './admin';
import { seg, type SessionScope, type Transport } from './http';
import type { TokenPair } from './storage';

/** An app user (end user of a project) as `me` returns it. */
export interface AppUser {
  id: string;
  email: string;
  is_email_verified: boolean;
  created_at: string;
}

/** `register` when the project requires email verification: no session yet. */
export interface RegisterPending {
  message: string;
  user: { id: string; email: string; is_email_verified: boolean };
  verification_required: true;
}

/** One signed-in device of the app user (a refresh-token family). */
export interface AppSession {
  id: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string;
  ip_address: string | null;
  user_agent: string | null;
  /** The session this client is using. */
  current: boolean;
}

/** Sign-in methods the project offers. */
export interface AuthProviders {
  email_password: boolean;
  magic_link: boolean;
  otp: boolean;
  oauth_google: boolean;
  oauth_github: boolean;
  oauth_oidc: boolean;
  session_mode: 'header' | 'cookie';
  allow_public_signup: boolean;
}

export interface Message {
  message: string;
}

/** `{ email, code }` from the OTP mail, or `{ token }` from its magic link. */
export type OtpVerifyInput = { email: string; code: string } | { token: string };

export interface OAuthUrl {
  provider: string;
  /** Send the browser here; the provider redirects back to `redirect_uri` with `code` and `state`. */
  auth_url: string;
}

/** App-user auth of one project (`/api/projects/{pid}/auth/*`). */
export interface AppAuthApi {
  /** Sign-in methods the project offers. */
  providers(): Promise<AuthProviders>;
  /**
   * Creates an app user and keeps its session; when the project requires email verification it
   * resolves to `{ verification_required: true, ... }` and keeps nothing.
   */
  register(credentials: Credentials): Promise<AuthTokens | RegisterPending>;
  /** Logs in and keeps the session; the project's data calls then act as this user. */
  login(credentials: Credentials): Promise<AuthTokens>;
  /** Rotates the kept session now; resolves false when there is none or it was rejected. */
  refresh(): Promise<boolean>;
  /** Ends the kept session on the server and forgets it. */
  logout(): Promise<void>;
  /** Ends every session of the user (all devices) and forgets the kept one. */
  logoutAll(): Promise<void>;
  /** The signed-in app user. */
  me(): Promise<AppUser>;
  /** The user's sessions (devices). */
  sessions(): Promise<AppSession[]>;
  /** Ends one session of the user. */
  revokeSession(sessionId: string): Promise<void>;
  /** Changes the password; the user's other sessions are ended, this one stays. */
  changePassword(input: { current_password: string; new_password: string }): Promise<void>;
  /** Mails a reset link; answers the same whether or not the address exists. */
  requestPasswordReset(input: { email: string; redirect_uri?: string }): Promise<Message>;
  /** Sets a new password with the mailed token; every session of the user is ended. */
  confirmPasswordReset(input: { token: string; new_password: string }): Promise<Message>;
  /** Mails a verification link to the signed-in user, or to `email` without a session. */
  sendVerification(input?: { email?: string; redirect_uri?: string }): Promise<Message>;
  /** Confirms the address with the mailed token. */
  confirmVerification(input: { token: string }): Promise<Message & { email: string }>;
  /** Mails a 6-digit code (and a magic link when enabled). */
  sendOtp(input: { email: string; redirect_uri?: string }): Promise<Message>;
  /** Signs in with the mailed code or magic-link token and keeps the session. */
  verifyOtp(input: OtpVerifyInput): Promise<AuthTokens>;
  /** The provider's authorization URL (authorization code + PKCE). */
  oauthUrl(provider: string, redirectUri: string): Promise<OAuthUrl>;
  /**
   * The URL to send the browser to (`GET …/oauth/{provider}/start`): the server redirects to the
   * provider and back to `redirectUri`, which must be in `allowed_redirect_uris`.
   */
  oauthStartUrl(provider: string, redirectUri: string): string;
  /** Finishes an OAuth sign-in with the `code` and `state` the provider redirected with. */
  oauthCallback(provider: string, input: { code: string; state: string }): Promise<AuthTokens>;
  /** The kept app-user session of this project, if any. */
  getSession(): Promise<TokenPair | null>;
  /** Replaces the kept app-user session; `null` forgets it. */
  setSession(tokens: TokenPair | null): Promise<void>;
}

/** The app-user session of one project: kept under `app:<projectId>`. */
export function appSession(projectId: string): SessionScope {
  return {
    key: `app:${projectId}`,
    refreshPath: `/api/projects/${seg(projectId)}/auth/refresh`,
    apiKey: false,
  };
}

export function createAppAuthApi(http: Transport, projectId: string): AppAuthApi {
  const base = `/api/projects/${seg(projectId)}/auth`;
  const session = appSession(projectId);
  const store = (tokens: TokenPair | null) => http.storage.set(tokens, session.key);
  const keep = async <T extends object>(result: T): Promise<T> => {
    if ('access_token' in result && 'refresh_token' in result) {
      const { access_token, refresh_token } = result as unknown as TokenPair;
      await store({ access_token, refresh_token });
    }
    return result;
  };
  const open = <T>(method: string, path: string, body?: unknown) =>
    http.request<T>(method, base + path, { body, auth: 'none' });
  const signedIn = <T>(method: string, path: string, body?: unknown) =>
    http.request<T>(method, base + path, { body, session });
  return {
    providers: () => open('GET', '/providers'),
    register: async (body) =>
      keep(await open<AuthTokens | RegisterPending>('POST', '/register', body)),
    login: async (body) => keep(await open<AuthTokens>('POST', '/login', body)),
    refresh: () => http.refresh(session),
    logout: async () => {
      const current = await http.storage.get(session.key);
      await store(null);
      if (current) await open<void>('POST', '/logout', { refresh_token: current.refresh_token });
    },
    logoutAll: async () => {
      await signedIn<void>('POST', '/logout/all');
      await store(null);
    },
    me: () => signedIn('GET', '/me'),
    sessions: async () => (await signedIn<{ sessions: AppSession[] }>('GET', '/sessions')).sessions,
    revokeSession: (id) => signedIn('DELETE', `/sessions/${seg(id)}`),
    changePassword: (body) => signedIn('POST', '/password/change', body),
    requestPasswordReset: (body) => open('POST', '/password/reset/send', body),
    confirmPasswordReset: (body) => open('POST', '/password/reset/confirm', body),
    sendVerification: (body = {}) => signedIn('POST', '/verify/send', body),
    confirmVerification: (body) => open('POST', '/verify/confirm', body),
    sendOtp: (body) => open('POST', '/otp/send', body),
    verifyOtp: async (body) => keep(await open<AuthTokens>('POST', '/otp/verify', body)),
    oauthUrl: (provider, redirectUri) =>
      http.request('GET', `${base}/oauth/${seg(provider)}/url`, {
        query: { redirect_uri: redirectUri },
        auth: 'none',
      }),
    oauthStartUrl: (provider, redirectUri) =>
      `${http.origin}${base}/oauth/${seg(provider)}/start?redirect_uri=${encodeURIComponent(redirectUri)}`,
    oauthCallback: async (provider, { code, state }) =>
      keep(
        await http.request<AuthTokens>('GET', `${base}/oauth/${seg(provider)}/callback`, {
          query: { code, state },
          auth: 'none',
        }),
      ),
    getSession: async () => http.storage.get(session.key),
    setSession: async (tokens) => store(tokens),
  };
}
