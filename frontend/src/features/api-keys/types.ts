import type { ApiKey } from '@backendify/client';

export type { ApiKey, CreatedApiKey } from '@backendify/client';

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';
export const STATUS_FILTERS = ['all', 'active', 'revoked', 'expired'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export function apiKeyStatus(key: ApiKey, now = Date.now()): ApiKeyStatus {
  if (key.revoked) return 'revoked';
  if (key.expires_at && new Date(key.expires_at).getTime() <= now) return 'expired';
  return 'active';
}
