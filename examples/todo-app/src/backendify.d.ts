// Backendify types for project "Todo app" (1ce7713d-ef05-430b-9730-ba1bfa7df16d).
// Generated 2026-12-07T15:13:03.218Z. Do not edit: regenerate with
//   pnpm backendify types --project 1ce7713d-ef05-430b-9730-ba1bfa7df16d --out src/backendify.d.ts

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

/** Todos (`todos`), as the data API answers it. */
export interface Todos {
  id: number;
  created_at: string;
  updated_at: string;
  created_by_user_id: string | null;
  created_by_app_user_id: string | null;
  /** Title */
  title: string;
  /** Completed */
  completed: boolean;
}
/** A new `todos` record: required fields without a default must be given. */
export interface TodosInsert {
  title: string;
  completed?: boolean;
}
export type TodosUpdate = Partial<TodosInsert>;
/** What `expand` adds to a `todos` record. */
export type TodosRelations = Record<never, never>;

/** Every collection of the project: `createClient<Database>(…)`. */
export interface Database {
  collections: {
    _users: { Row: Users; Insert: UsersInsert; Update: UsersUpdate; Relations: UsersRelations };
    todos: { Row: Todos; Insert: TodosInsert; Update: TodosUpdate; Relations: TodosRelations };
  };
}
