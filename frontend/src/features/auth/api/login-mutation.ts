import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, tokenStore, type TokenResponse } from '@/lib/api-client';
import type { Credentials } from '../types';
import { authKeys } from './keys';

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Credentials) =>
      api.post<TokenResponse>('/api/auth/login', body, { auth: false }),
    onSuccess: (tokens) => {
      queryClient.clear();
      tokenStore.setFromResponse(tokens);
      void queryClient.invalidateQueries({ queryKey: authKeys.all });
    },
  });
}
