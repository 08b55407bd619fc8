import { BackendifyError, createClient, webStorage, type AppUser } from '@backendify/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Database } from './backendify';

// Where the API and project are: the build's env (.env.local from the seed), or `?api=&project=`
// in the first address opened (kept for the tab, so links inside the app keep working).
const query = new URLSearchParams(location.search);
for (const key of ['api', 'project']) {
  const value = query.get(key);
  if (value) sessionStorage.setItem(`blog.${key}`, value);
}
export const API =
  sessionStorage.getItem('blog.api') ?? import.meta.env.VITE_API_URL ?? 'http://127.0.0.1:3000';
export const PROJECT_ID =
  sessionStorage.getItem('blog.project') ?? import.meta.env.VITE_PROJECT_ID ?? '';

export const client = createClient<Database>({
  url: API,
  storage: webStorage(localStorage, 'blog.session'),
});
export const project = client.project(PROJECT_ID);
export const posts = project.collection('posts');
export const categories = project.collection('categories');
export const comments = project.collection('comments');

/** The signed-in app user, or null (anonymous readers). */
export function useMe(): AppUser | null | undefined {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      if (!(await project.auth.getSession())) return null;
      try {
        return await project.auth.me();
      } catch {
        await project.auth.setSession(null);
        return null;
      }
    },
    staleTime: Infinity,
  }).data;
}

/** After sign-in or sign-out: who the user is, and everything they may see, is read again. */
export function useSessionChanged(): () => Promise<void> {
  const qc = useQueryClient();
  return () => qc.resetQueries();
}

export function errorText(err: unknown): string {
  if (err instanceof BackendifyError) {
    const field = err.errors?.[0];
    return field ? `${err.message} (${field.field}: ${field.message})` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** "Hello, World!" → "hello-world". */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}
