export interface OAuthProviderSettings {
  enabled: boolean;
  client_id: string | null;
  client_secret_set: boolean;
  issuer?: string | null;
}

export type OAuthProviderName = 'google' | 'github' | 'oidc';

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

export const AUTH_TABS = ['settings', 'users', 'developer'] as const;
export type AuthTab = (typeof AUTH_TABS)[number];
