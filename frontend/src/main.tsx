import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider, createRouter } from '@tanstack/react-router';
import { ApiError, setSessionExpiredHandler, tokenStore } from '@/lib/backend';
import { initTheme } from '@/lib/theme';
import { routeTree } from './routeTree.gen';
import './styles.css';

initTheme();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // Client errors (404, 403, …) will not change on retry.
      retry: (count, error) =>
        !(error instanceof ApiError && error.status > 0 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const router = createRouter({
  routeTree,
  context: { queryClient, auth: { isAuthenticated: () => tokenStore.get() !== null } },
  defaultPreload: 'intent',
  // Loaders go through the query cache, so the router's own cache is not needed.
  defaultPreloadStaleTime: 0,
  defaultPendingMs: 150,
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

setSessionExpiredHandler(() => {
  queryClient.clear();
  const { pathname, search } = window.location;
  if (pathname === '/login') return;
  void router.navigate({ to: '/login', search: { redirect: pathname + search } });
});

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
