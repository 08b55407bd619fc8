import {
  useMutation,
  useQueryClient,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { errorMessage } from './backend';

export interface ApiMutationOptions<TVars, TResult> {
  mutationFn: (vars: TVars) => Promise<TResult>;
  /** Query keys (prefixes) that go stale when the call succeeds. */
  invalidate?: readonly QueryKey[];
  /** The success toast: a fixed text or one built from the variables and the answer. */
  success?: string | ((vars: TVars, result: TResult) => string);
  /**
   * `true` (default) shows the server's `detail` as an error toast; `false` leaves the error to
   * the calling form, which shows it inline with the per-field list.
   */
  errorToast?: boolean;
  /** Cache work beyond invalidation (seed or drop entries), run before the keys are invalidated. */
  onSuccess?: (result: TResult, vars: TVars, queryClient: QueryClient) => void;
}

/** The console's one mutation pattern: call the API, refresh the feature's queries, toast. */
export function useApiMutation<TVars = void, TResult = unknown>({
  mutationFn,
  invalidate = [],
  success,
  errorToast = true,
  onSuccess,
}: ApiMutationOptions<TVars, TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (result, vars) => {
      onSuccess?.(result, vars, queryClient);
      // Not awaited: the caller (a dialog closing) need not wait for the refetch.
      for (const queryKey of invalidate) void queryClient.invalidateQueries({ queryKey });
      const message = typeof success === 'function' ? success(vars, result) : success;
      if (message) toast.success(message);
    },
    onError: errorToast ? (error) => toast.error(errorMessage(error)) : undefined,
  });
}
