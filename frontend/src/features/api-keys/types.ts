export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  revoked: boolean;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

export interface CreatedApiKey extends ApiKey {
  /** Plaintext key, returned only by the create call. */
  api_key: string;
}

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';
export const STATUS_FILTERS = ['all', 'active', 'revoked', 'expired'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export function apiKeyStatus(key: ApiKey, now = Date.now()): ApiKeyStatus {
  if (key.revoked) return 'revoked';
  if (key.expires_at && new Date(key.expires_at).getTime() <= now) return 'expired';
  return 'active';
}
