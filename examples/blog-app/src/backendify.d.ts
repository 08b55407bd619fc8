// Backendify types for project "Blog" (a9036ce0-7802-4ac3-9c18-835cad34b0a4).
// Generated 2026-12-07T15:13:02.347Z. Do not edit: regenerate with
//   pnpm backendify types --project a9036ce0-7802-4ac3-9c18-835cad34b0a4 --out src/backendify.d.ts

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A stored file as `expand` gives a `file` field: its metadata and a URL (signed for an hour when private). */
export interface BackendifyFile {
  id: string;
  filename: string;
  original_filename: string;
  content_type: string;
  size_bytes: number;
  bucket: string;
  is_public: boolean;
  download_url: string;
  url: string;
  created_at: string;
}

/** Users: App users of this project (system collection) (`_users`), as the data API answers it. */
export interface Users {
  id: string;
  created_at: string;
  updated_at: string;
  created_by_user_id: string | null;
  created_by_app_user_id: string | null;
  /** Email */
  email: string;
  /** Email verified */
  is_email_verified: boolean;
  /** Disabled */
  is_disabled: boolean;
}
/** A new `_users` record: required fields without a default must be given. */
export type UsersInsert = Record<never, never>;
export type UsersUpdate = Partial<UsersInsert>;
/** What `expand` adds to a `_users` record. */
export type UsersRelations = Record<never, never>;

/** Categories (`categories`), as the data API answers it. */
export interface Categories {
  id: number;
  created_at: string;
  updated_at: string;
  created_by_user_id: string | null;
  created_by_app_user_id: string | null;
  /** Name */
  name: string;
  /** Slug */
  slug: string;
}
/** A new `categories` record: required fields without a default must be given. */
export interface CategoriesInsert {
  name: string;
  slug: string;
}
export type CategoriesUpdate = Partial<CategoriesInsert>;
/** What `expand` adds to a `categories` record. */
export type CategoriesRelations = Record<never, never>;

/** Comments (`comments`), as the data API answers it. */
export interface Comments {
  id: number;
  created_at: string;
  updated_at: string;
  created_by_user_id: string | null;
  created_by_app_user_id: string | null;
  /** Comment */
  content: string;
  /** Post */
  post_id: number | null;
}
/** A new `comments` record: required fields without a default must be given. */
export interface CommentsInsert {
  content: string;
  post?: number | null;
}
export type CommentsUpdate = Partial<CommentsInsert>;
/** What `expand` adds to a `comments` record. */
export interface CommentsRelations {
  post: Posts | null;
}

/** Posts (`posts`), as the data API answers it. */
export interface Posts {
  id: number;
  created_at: string;
  updated_at: string;
  created_by_user_id: string | null;
  created_by_app_user_id: string | null;
  /** Title */
  title: string;
  /** Slug */
  slug: string;
  /** Content */
  content: string;
  /** Excerpt */
  excerpt: string | null;
  /** Published */
  published: boolean;
  /** Cover image */
  cover: string | null;
  /** Category */
  category_id: number | null;
}
/** A new `posts` record: required fields without a default must be given. */
export interface PostsInsert {
  title: string;
  slug: string;
  content: string;
  excerpt?: string | null;
  published?: boolean;
  cover?: string | null;
  category?: number | null;
}
export type PostsUpdate = Partial<PostsInsert>;
/** What `expand` adds to a `posts` record. */
export interface PostsRelations {
  cover: BackendifyFile | null;
  category: Categories | null;
}

/** Every collection of the project: `createClient<Database>(…)`. */
export interface Database {
  collections: {
    _users: { Row: Users; Insert: UsersInsert; Update: UsersUpdate; Relations: UsersRelations };
    categories: {
      Row: Categories;
      Insert: CategoriesInsert;
      Update: CategoriesUpdate;
      Relations: CategoriesRelations;
    };
    comments: {
      Row: Comments;
      Insert: CommentsInsert;
      Update: CommentsUpdate;
      Relations: CommentsRelations;
    };
    posts: { Row: Posts; Insert: PostsInsert; Update: PostsUpdate; Relations: PostsRelations };
  };
}
