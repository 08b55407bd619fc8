export type {
  AuthSettings,
  AuthSettingsUpdate,
  OAuthProviderName,
  OAuthProviderSettings,
  OAuthProviderUpdate,
} from '@backendify/client';

export const AUTH_TABS = ['settings', 'users', 'developer'] as const;
export type AuthTab = (typeof AUTH_TABS)[number];
