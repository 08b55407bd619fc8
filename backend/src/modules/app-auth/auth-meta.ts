import type { AuthSettings } from '../auth-settings/auth-settings.types';

interface Endpoint {
  name: string;
  method: string;
  url: string;
  description: string;
  auth_required: boolean;
  request_body?: Record<string, string>;
}

/** The original's self-documentation of a project's app-user auth, with absolute URLs. */
export function buildAuthMeta(
  projectId: string,
  projectName: string,
  s: AuthSettings,
  origin: string,
) {
  const base = `${origin}/api/projects/${projectId}/auth`;
  const endpoints: Endpoint[] = [
    {
      name: 'Get Providers',
      method: 'GET',
      url: `${base}/providers`,
      description: 'Enabled sign-in methods',
      auth_required: false,
    },
  ];
  if (s.enableEmailPassword) {
    endpoints.push(
      {
        name: 'Register',
        method: 'POST',
        url: `${base}/register`,
        description: 'Create an account',
        auth_required: false,
        request_body: { email: 'string', password: 'string (8-128)' },
      },
      {
        name: 'Login',
        method: 'POST',
        url: `${base}/login`,
        description: 'Sign in with email and password',
        auth_required: false,
        request_body: { email: 'string', password: 'string' },
      },
    );
  }
  endpoints.push(
    {
      name: 'Refresh Tokens',
      method: 'POST',
      url: `${base}/refresh`,
      description: 'Rotate the refresh token and get a new access token',
      auth_required: false,
      request_body: { refresh_token: 'string' },
    },
    {
      name: 'Logout',
      method: 'POST',
      url: `${base}/logout`,
      description: 'End this session',
      auth_required: false,
      request_body: { refresh_token: 'string' },
    },
    {
      name: 'Get Current User',
      method: 'GET',
      url: `${base}/me`,
      description: 'The signed-in user',
      auth_required: true,
    },
    {
      name: 'Change Password',
      method: 'POST',
      url: `${base}/password/change`,
      description: 'Change the password; other sessions end',
      auth_required: true,
      request_body: { current_password: 'string', new_password: 'string (8-128)' },
    },
    {
      name: 'Logout All Sessions',
      method: 'POST',
      url: `${base}/logout/all`,
      description: 'End every session of the user',
      auth_required: true,
    },
  );
  const json = (o: object) => JSON.stringify(o);
  const creds = { email: 'user@example.com', password: 'a-long-password' };
  return {
    project_id: projectId,
    project_name: projectName,
    providers: {
      email_password: s.enableEmailPassword,
      magic_link: s.enableMagicLink,
      otp: s.enableOtp,
      oauth_google: s.enableOauthGoogle,
      oauth_github: s.enableOauthGithub,
      oauth_oidc: s.enableOauthOidc,
    },
    settings: {
      session_mode: s.sessionMode,
      allow_public_signup: s.allowPublicSignup,
      require_email_verification: s.requireEmailVerification,
      access_token_ttl_minutes: s.accessTtlMinutes,
      refresh_token_ttl_days: s.refreshTtlDays,
    },
    auth: {
      type: 'bearer',
      header: 'Authorization: Bearer <access_token>',
      note: 'Access tokens are JWTs for this project only; refresh tokens rotate on every use.',
    },
    endpoints,
    response_schemas: {
      token_pair: {
        access_token: 'string',
        refresh_token: 'string',
        token_type: 'bearer',
        expires_in: 'number (seconds)',
      },
      user: { id: 'uuid', email: 'string', is_email_verified: 'boolean', created_at: 'ISO 8601' },
    },
    examples: {
      curl: {
        register: `curl -X POST ${base}/register -H 'Content-Type: application/json' -d '${json(creds)}'`,
        login: `curl -X POST ${base}/login -H 'Content-Type: application/json' -d '${json(creds)}'`,
        refresh: `curl -X POST ${base}/refresh -H 'Content-Type: application/json' -d '{"refresh_token":"<refresh_token>"}'`,
        me: `curl ${base}/me -H 'Authorization: Bearer <access_token>'`,
      },
      fetch: {
        register: `await fetch('${base}/register', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(${json(creds)}) })`,
        login: `await fetch('${base}/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(${json(creds)}) })`,
        me: `await fetch('${base}/me', { headers: { Authorization: 'Bearer ' + accessToken } })`,
      },
    },
    error_codes: {
      '400': 'Invalid input or a disabled sign-in method (problem+json with errors)',
      '401': 'Missing, invalid or expired credentials',
      '403': 'Account disabled, email not verified, or signup closed',
      '409': 'Email already registered',
      '429': 'Too many attempts (rate limit or lockout); see Retry-After',
    },
  };
}
