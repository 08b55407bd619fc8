import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import { authKeys } from './keys';

/** Confirms the console address with the token of the mailed link. */
export function useVerifyEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      api.post<{ message: string; email: string }>('/api/auth/verify-email', { token }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: authKeys.me() }),
  });
}

export function useResendVerification() {
  return useMutation({
    mutationFn: () => api.post<{ message: string }>('/api/auth/verify-email/resend'),
    onSuccess: () => toast.success('Verification e-mail sent'),
    onError: (error) => toast.error(errorMessage(error)),
  });
}
