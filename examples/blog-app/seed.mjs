#!/usr/bin/env node
// Sets up the blog's project through the API, idempotently: categories, posts (with a cover image
// in the public `covers` bucket and a category) and comments (on a post); public reading of
// published posts, categories and comments; owner-only editing for app users; auth settings
// (password + one-time code, public sign-up). Then writes `.env.local` and `src/backendify.d.ts`.
//
//   node seed.mjs            # reads .env.local / .env / the environment (see .env.example)
//   node seed.mjs --json     # prints {"project_id": …} and writes no files (used by the tests)
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@backendify/client';
import {
  ensureCollection,
  ensurePolicies,
  ensureProject,
  failWith,
  finishSeed,
  readEnv,
  signInAdmin,
} from '../seed-kit.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const e = readEnv(here);
const url = (e.BACKENDIFY_URL ?? e.VITE_API_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const OWNER = { created_by_app_user_id: '$current_app_user_id' };
const EVERYONE = ['anonymous', 'app_user'];

/** Public reading (optionally only rows matching `readable`), app users create, owners change. */
function policies(collection, readable = null) {
  return [
    ...['list', 'read'].map((action) => ({
      name: `${collection}: everyone ${action}s`,
      action,
      allowed_principals: EVERYONE,
      condition: readable,
    })),
    { name: `${collection}: app users create`, action: 'create', allowed_principals: ['app_user'] },
    ...['update', 'delete'].map((action) => ({
      name: `${collection}: owners ${action}`,
      action,
      allowed_principals: ['app_user'],
      condition: OWNER,
    })),
  ];
}

async function main() {
  const client = createClient({ url });
  await signInAdmin(
    client,
    e.BACKENDIFY_EMAIL ?? 'admin@example.com',
    e.BACKENDIFY_PASSWORD ?? 'change-me-to-something-long',
  );
  const projectName = e.BLOG_PROJECT_NAME ?? 'Blog';
  const project = await ensureProject(client, projectName);
  const schema = client.admin.schema(project.id);
  const files = client.project(project.id).files;

  if (!(await files.buckets.list()).some((b) => b.name === 'covers')) {
    await files.buckets.create({
      name: 'covers',
      is_public: true,
      allowed_types: ['image/*'],
      max_size_bytes: 5 * 1024 * 1024,
      policies: [
        { name: 'everyone reads', action: 'read', allowed_principals: ['anonymous', 'app_user'] },
        { name: 'app users upload', action: 'write', allowed_principals: ['app_user'] },
      ],
    });
  }
  const str = (name, display_name, more = {}) => ({
    name,
    display_name,
    field_type: 'string',
    ...more,
  });
  await ensureCollection(
    schema,
    'categories',
    'Categories',
    [
      str('name', 'Name', { is_required: true, is_unique: true }),
      str('slug', 'Slug', { is_required: true, is_unique: true }),
    ],
    'name',
  );
  await ensureCollection(
    schema,
    'posts',
    'Posts',
    [
      str('title', 'Title', { is_required: true, is_indexed: true }),
      str('slug', 'Slug', { is_required: true, is_unique: true }),
      { name: 'content', display_name: 'Content', field_type: 'text', is_required: true },
      str('excerpt', 'Excerpt'),
      {
        name: 'published',
        display_name: 'Published',
        field_type: 'bool',
        is_required: true,
        default_value: 'false',
      },
      {
        name: 'cover',
        display_name: 'Cover image',
        field_type: 'file',
        options: { bucket: 'covers', delete_files_with_record: true },
      },
      {
        relation: 'category',
        display_name: 'Category',
        target: 'categories',
        on_delete: 'SET NULL',
        display_field: 'name',
      },
    ],
    'title',
  );
  await ensureCollection(
    schema,
    'comments',
    'Comments',
    [
      { name: 'content', display_name: 'Comment', field_type: 'text', is_required: true },
      {
        relation: 'post',
        display_name: 'Post',
        target: 'posts',
        on_delete: 'CASCADE',
        display_field: 'title',
      },
    ],
    'content',
  );
  await ensurePolicies(schema.policies('categories'), policies('categories'));
  // Drafts: only published posts are public; their authors see their own drafts too.
  await ensurePolicies(schema.policies('posts'), [
    ...policies('posts', { published: true }),
    ...['list', 'read'].map((action) => ({
      name: `posts: authors ${action} their drafts`,
      action,
      allowed_principals: ['app_user'],
      condition: OWNER,
    })),
  ]);
  await ensurePolicies(schema.policies('comments'), policies('comments'));
  await client.admin.authSettings(project.id).update({
    enable_email_password: true,
    enable_otp: true,
    allow_public_signup: true,
    require_email_verification: false,
  });

  await finishSeed({ client, project, dir: here, app: 'blog-app', url });
}

main().catch(failWith('blog-app seed', url));
