import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage, tokenStore } from '@/lib/api-client';

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const tokens = tokenStore.get();
      if (tokens) {
        await api.post<void>(
          '/api/auth/logout',
          { refresh_token: tokens.refreshToken },
          { auth: false },
        );
      }
    },
    onError: (error) => toast.error(errorMessage(error)),
    // Log out locally even when the server call fails.
    onSettled: () => {
      tokenStore.clear();
      queryClient.clear();
    },
    onSuccess: () => toast.success('Signed out'),
  });
}
