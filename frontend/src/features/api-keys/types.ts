import type { ApiKey, ApiKeyKind } from '@backendify/client';

export type { ApiKey, ApiKeyKind, CreatedApiKey } from '@backendify/client';

/** The two kinds, as the create dialog, the list and the policy dialog explain them. */
export const KEY_KINDS: { kind: ApiKeyKind; label: string; description: string }[] = [
  {
    kind: 'service',
    label: 'Service key — for servers',
    description:
      'Full data access: passes row policies and readable-field lists, like Supabase’s service role. Keep it secret; never put it in a browser or mobile app.',
  },
  {
    kind: 'public',
    label: 'Public key — for apps',
    description:
      'Safe to ship in a web or mobile app: it is the principal “API key” under your policies, and reaches only what they allow (once a collection has policies).',
  },
];

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';
export const STATUS_FILTERS = ['all', 'active', 'revoked', 'expired'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export function apiKeyStatus(key: ApiKey, now = Date.now()): ApiKeyStatus {
  if (key.revoked) return 'revoked';
  if (key.expires_at && new Date(key.expires_at).getTime() <= now) return 'expired';
  return 'active';
}
