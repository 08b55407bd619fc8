import { PROJECT_MODULES } from './modules';

const PAGES: Record<string, string> = {
  '/login': 'Sign in',
  '/register': 'Create account',
  '/projects': 'Projects',
  '/accept-invitation': 'Invitation',
  '/verify-email': 'Verify email',
};

/**
 * The document title of a console path: "Data · posts · My blog — Backendify". The module comes
 * from the path, the collection (Data and Schema pages) from the search, the project by name.
 */
export function pageTitle(
  pathname: string,
  { collection, projectName }: { collection?: string; projectName?: string } = {},
): string {
  const path = pathname.replace(/\/+$/, '') || '/';
  const project = /^\/projects\/[^/]+(?:\/([^/]+))?/.exec(path);
  let parts: (string | undefined)[];
  if (project) {
    const slug = project[1] ?? '';
    const label = PROJECT_MODULES.find((m) => m.slug === slug)?.label ?? 'Not found';
    const showsCollection = slug === 'data' || slug === 'schema';
    parts = [label, showsCollection ? collection : undefined, projectName];
  } else {
    parts = [PAGES[path]];
  }
  const head = parts.filter(Boolean).join(' · ');
  return head ? `${head} — Backendify` : 'Backendify';
}
