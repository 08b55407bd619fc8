/** A default display name for an identifier: `blog_posts` → `Blog posts`. */
export function humanize(name: string): string {
  return name.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}
