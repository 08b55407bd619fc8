export const OAUTH_PROVIDERS = ['google', 'github', 'oidc'] as const;
export type OAuthProviderName = (typeof OAUTH_PROVIDERS)[number];

/** One provider's stored configuration; the client secret is sealed with `SecretBox`. */
export interface StoredProviderConfig {
  client_id?: string | null;
  client_secret_enc?: string | null;
  issuer?: string | null;
}

export type StoredProviders = Partial<Record<OAuthProviderName, StoredProviderConfig>>;

/** A project's app-user auth settings, as services use them. */
export interface AuthSettings {
  projectId: string;
  enableEmailPassword: boolean;
  enableMagicLink: boolean;
  enableOtp: boolean;
  enableOauthGoogle: boolean;
  enableOauthGithub: boolean;
  enableOauthOidc: boolean;
  accessTtlMinutes: number;
  refreshTtlDays: number;
  sessionMode: 'header' | 'cookie';
  allowPublicSignup: boolean;
  requireEmailVerification: boolean;
  oauthProviders: StoredProviders;
  allowedRedirectUris: string[];
  /** Default target of mailed links; null → the first allowed redirect URI. */
  siteUrl: string | null;
  lockoutThreshold: number;
  lockoutMinutes: number;
}

/** Decrypted credentials of an enabled provider, for the OAuth code exchange only. */
export interface OAuthClientConfig {
  provider: OAuthProviderName;
  clientId: string;
  clientSecret: string;
  issuer: string | null;
}

export const CLIENT_SECRET_PURPOSE = 'oauth-client-secret';
