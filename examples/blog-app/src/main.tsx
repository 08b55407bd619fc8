import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  createRootRoute,
  createRoute,
  createRouter,
  Outlet,
  RouterProvider,
} from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PROJECT_ID } from './backend';
import {
  CategoriesPage,
  HomePage,
  Layout,
  LoginPage,
  MyPostsPage,
  PostEditor,
  PostPage,
} from './pages';
import './style.css';

const root = createRootRoute({
  component: () => (
    <Layout>
      {PROJECT_ID ? (
        <Outlet />
      ) : (
        <p className="error">No project: run `pnpm --filter blog-app seed` (writes .env.local).</p>
      )}
    </Layout>
  ),
});
const home = createRoute({
  getParentRoute: () => root,
  path: '/',
  validateSearch: (s: Record<string, unknown>): { category?: number } =>
    Number(s.category) > 0 ? { category: Number(s.category) } : {},
  component: function Home() {
    const { category } = home.useSearch();
    return <HomePage category={category} />;
  },
});
const post = createRoute({
  getParentRoute: () => root,
  path: '/posts/$postId',
  component: function Post() {
    return <PostPage postId={Number(post.useParams().postId)} />;
  },
});
const edit = createRoute({
  getParentRoute: () => root,
  path: '/posts/$postId/edit',
  component: function Edit() {
    return <PostEditor postId={Number(edit.useParams().postId)} />;
  },
});
const create = createRoute({
  getParentRoute: () => root,
  path: '/new',
  component: () => <PostEditor />,
});
const mine = createRoute({ getParentRoute: () => root, path: '/mine', component: MyPostsPage });
const cats = createRoute({
  getParentRoute: () => root,
  path: '/categories',
  component: CategoriesPage,
});
const login = createRoute({ getParentRoute: () => root, path: '/login', component: LoginPage });

const router = createRouter({
  routeTree: root.addChildren([home, post, edit, create, mine, cats, login]),
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
