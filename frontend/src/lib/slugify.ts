const MAX_IDENTIFIER_LENGTH = 63;

/**
 * Turns a display name into an identifier the server accepts (`^[a-z][a-z0-9_]{0,62}$`):
 * "Categories" → `categories`, "Blog Posts" → `blog_posts`, "Author's name" → `authors_name`,
 * "Crème brûlée" → `creme_brulee`, "2024 sales" → `n_2024_sales`. Returns '' when nothing usable is left (e.g. "—" or "日本").
 * Reserved words ("Order" → `order`) are left for the server to refuse, with its message.
 */
export function slugify(displayName: string): string {
  const words = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/['’]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!words) return '';
  const name = /^[a-z]/.test(words) ? words : `n_${words}`;
  return name.slice(0, MAX_IDENTIFIER_LENGTH).replace(/_+$/, '');
}
