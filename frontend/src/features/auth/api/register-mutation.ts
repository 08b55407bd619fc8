import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, tokenStore, type TokenResponse } from '@/lib/api-client';
import type { Credentials } from '../types';
import { authKeys } from './keys';

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Credentials) =>
      api.post<TokenResponse>('/api/auth/register', body, { auth: false }),
    onSuccess: (tokens) => {
      queryClient.clear();
      tokenStore.setFromResponse(tokens);
      void queryClient.invalidateQueries({ queryKey: authKeys.all });
      toast.success('Your account is ready');
    },
  });
}
