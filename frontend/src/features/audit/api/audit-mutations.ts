import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { AuditSettings } from '../types';
import { auditKeys } from './keys';

/** The settings dialog shows errors inline. */
export function useSaveAuditSettings(projectId: string) {
  return useApiMutation({
    mutationFn: (body: AuditSettings) =>
      backend.request<AuditSettings>(
        'PUT',
        `/api/projects/${encodeURIComponent(projectId)}/audit/settings`,
        { body },
      ),
    invalidate: [auditKeys.settings(projectId)],
    success: 'Audit retention saved',
    errorToast: false,
  });
}
