import type { QueryClient } from '@tanstack/react-query';
import { Outlet, createRootRouteWithContext } from '@tanstack/react-router';
import { NotFoundPage } from '@/components/layout/route-states';
import { Toaster } from '@/components/ui/toast';

export interface RouterContext {
  queryClient: QueryClient;
  auth: { isAuthenticated: () => boolean };
}

export const Route = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: NotFoundPage,
});

function RootLayout() {
  return (
    <>
      <Outlet />
      <Toaster />
    </>
  );
}
