import { useEffect } from 'react';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { Outlet, createRootRouteWithContext, useRouterState } from '@tanstack/react-router';
import { projectQueryOptions } from '@/features/projects/api/projects-query';
import { pageTitle } from '@/lib/page-title';
import { collectionsQueryOptions } from '@/lib/schema-meta';
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
      <DocumentTitle />
      <Outlet />
      <Toaster />
    </>
  );
}

/** One place sets every page's title, from the current location (see `pageTitle`). */
function DocumentTitle() {
  const location = useRouterState({ select: (s) => s.location });
  const projectId = /^\/projects\/([^/]+)/.exec(location.pathname)?.[1];
  const onData = !!projectId && /^\/projects\/[^/]+\/data\/?$/.test(location.pathname);
  const project = useQuery({ ...projectQueryOptions(projectId ?? ''), enabled: !!projectId });
  const collections = useQuery({
    ...collectionsQueryOptions(projectId ?? ''),
    enabled: onData,
  });
  const search = location.search as { collection?: unknown };
  // The Data page opens the first collection when the URL names none.
  const firstCollection = collections.data
    ?.filter((c) => !c.is_system)
    .map((c) => c.name)
    .sort((a, b) => a.localeCompare(b))[0];
  const collection =
    typeof search.collection === 'string'
      ? search.collection
      : onData
        ? firstCollection
        : undefined;
  const title = pageTitle(location.pathname, {
    collection,
    projectName: projectId ? project.data?.name : undefined,
  });
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}
