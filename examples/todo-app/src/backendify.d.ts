// Backendify types for project "Todo app" (0ae8760e-25c3-4896-86b2-4d61800952d8).
// Generated 2026-12-07T14:56:11.808Z. Do not edit: regenerate with
//   pnpm backendify types --project 0ae8760e-25c3-4896-86b2-4d61800952d8 --out src/backendify.d.ts

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

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
