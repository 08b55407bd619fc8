import type { OAuthClientConfig, OAuthProviderName } from '../auth-settings/auth-settings.types';
import { isSecureOrLoopbackUrl } from '../auth-settings/auth-settings.service';
import { safeFetch, type OutboundPolicy } from '../../common/net/safe-fetch';

/** Where a provider's authorize, token and userinfo endpoints are. */
export interface ProviderEndpoints {
  authorize: string;
  token: string;
  userinfo: string;
  scope: string;
}

/** What the provider itself says about the user, fetched server-side; never taken from the client. */
export interface ProviderIdentity {
  providerUserId: string;
  email: string | null;
  emailVerified: boolean;
}

const FIXED: Record<'google' | 'github', ProviderEndpoints> = {
  google: {
    authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
    token: 'https://oauth2.googleapis.com/token',
    userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
    scope: 'openid email profile',
  },
  github: {
    authorize: 'https://github.com/login/oauth/authorize',
    token: 'https://github.com/login/oauth/access_token',
    userinfo: 'https://api.github.com/user',
    scope: 'read:user user:email',
  },
};

const TIMEOUT_MS = 10_000;

export class ProviderError extends Error {}

interface JsonRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

async function getJson(
  url: string,
  net: OutboundPolicy,
  init: JsonRequest = {},
): Promise<Record<string, unknown>> {
  // Issuer, token and userinfo URLs come from project settings: internal targets are refused.
  const res = await safeFetch(
    url,
    {
      ...init,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: 'application/json', 'user-agent': 'backendify', ...(init.headers ?? {}) },
    },
    net,
  );
  const text = await res.text();
  if (!res.ok) throw new ProviderError(`${new URL(url).host} answered ${res.status}`);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new ProviderError(`${new URL(url).host} did not answer JSON`);
}

/** Fixed endpoints for google/github; OIDC discovery at `{issuer}/.well-known/openid-configuration`. */
export async function resolveEndpoints(
  cfg: OAuthClientConfig,
  net: OutboundPolicy,
): Promise<ProviderEndpoints> {
  if (cfg.provider !== 'oidc') return FIXED[cfg.provider];
  const issuer = (cfg.issuer ?? '').replace(/\/+$/, '');
  const doc = await getJson(`${issuer}/.well-known/openid-configuration`, net);
  if (typeof doc.issuer !== 'string' || doc.issuer.replace(/\/+$/, '') !== issuer)
    throw new ProviderError('discovery issuer does not match the configured issuer');
  const pick = (k: string) => {
    const v = doc[k];
    if (typeof v !== 'string' || !isSecureOrLoopbackUrl(v))
      throw new ProviderError(`discovery lacks a valid ${k}`);
    return v;
  };
  return {
    authorize: pick('authorization_endpoint'),
    token: pick('token_endpoint'),
    userinfo: pick('userinfo_endpoint'),
    scope: 'openid email profile',
  };
}

/** Exchanges the code (with the PKCE verifier and client secret) and fetches the identity. */
export async function exchangeCode(
  cfg: OAuthClientConfig,
  endpoints: ProviderEndpoints,
  code: string,
  redirectUri: string,
  codeVerifier: string,
  net: OutboundPolicy,
): Promise<ProviderIdentity> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: cfg.clientId,
    client_secret: cfg.clientSecret,
    code_verifier: codeVerifier,
  });
  const token = await getJson(endpoints.token, net, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const accessToken = token.access_token;
  if (typeof accessToken !== 'string' || !accessToken) throw new ProviderError('no access_token');
  const auth = { authorization: `Bearer ${accessToken}` };
  const info = await getJson(endpoints.userinfo, net, { headers: auth });
  return cfg.provider === 'github' ? githubIdentity(info, auth, net) : oidcIdentity(info);
}

function oidcIdentity(info: Record<string, unknown>): ProviderIdentity {
  if (typeof info.sub !== 'string' || !info.sub) throw new ProviderError('userinfo lacks sub');
  const email =
    typeof info.email === 'string' && info.email.includes('@') ? info.email.toLowerCase() : null;
  const verified = info.email_verified === true || info.email_verified === 'true';
  return { providerUserId: info.sub, email, emailVerified: Boolean(email) && verified };
}

async function githubIdentity(
  info: Record<string, unknown>,
  auth: Record<string, string>,
  net: OutboundPolicy,
): Promise<ProviderIdentity> {
  if (typeof info.id !== 'number' && typeof info.id !== 'string')
    throw new ProviderError('user lacks id');
  // Only GitHub's emails endpoint says whether an address is verified.
  const res = await safeFetch(
    'https://api.github.com/user/emails',
    {
      headers: { ...auth, accept: 'application/json', 'user-agent': 'backendify' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    },
    net,
  );
  const list = res.ok
    ? ((await res.json()) as Array<{ email?: string; primary?: boolean; verified?: boolean }>)
    : [];
  const primary = Array.isArray(list)
    ? list.find((e) => e.primary && e.verified && e.email)
    : undefined;
  return {
    providerUserId: String(info.id),
    email: primary?.email ? primary.email.toLowerCase() : null,
    emailVerified: Boolean(primary),
  };
}

export const PROVIDER_LABEL: Record<OAuthProviderName, string> = {
  google: 'Google',
  github: 'GitHub',
  oidc: 'OIDC',
};
