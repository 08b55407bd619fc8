import type { CreateApiKeyInput } from '@backendify/client';
import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { ApiKey } from '../types';
import { apiKeyKeys } from './keys';

export function useCreateApiKey(projectId: string) {
  return useApiMutation({
    mutationFn: (body: CreateApiKeyInput) => backend.admin.apiKeys(projectId).create(body),
    invalidate: [apiKeyKeys.list(projectId)],
    success: (v) => `API key “${v.name}” created`,
  });
}

export function useRevokeApiKey(projectId: string) {
  return useApiMutation({
    mutationFn: (key: ApiKey) => backend.admin.apiKeys(projectId).revoke(key.id),
    invalidate: [apiKeyKeys.list(projectId)],
    success: (key) => `API key “${key.name}” revoked`,
  });
}

export function useDeleteApiKey(projectId: string) {
  return useApiMutation({
    mutationFn: (key: ApiKey) => backend.admin.apiKeys(projectId).delete(key.id),
    invalidate: [apiKeyKeys.list(projectId)],
    success: (key) => `API key “${key.name}” deleted`,
  });
}
