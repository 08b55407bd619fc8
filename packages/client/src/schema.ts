import { createEvolutionApi, type EvolutionApi } from './evolution';
import { seg, type CallOptions, type Transport } from './http';

export type FieldType =
  | 'string'
  | 'text'
  | 'int'
  | 'float'
  | 'decimal'
  | 'bool'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'uuid'
  | 'json'
  | 'enum'
  | 'file';

export interface Collection {
  id: string;
  name: string;
  display_name: string;
  description: string | null;
  icon: string | null;
  display_field: string | null;
  sql_table_name: string;
  is_active: boolean;
  is_system: boolean;
  field_count: number;
  created_at: string;
  updated_at: string;
}

export interface CreateCollectionInput {
  /** Lowercase letters, digits and `_`; starts with a letter. */
  name: string;
  display_name?: string;
  description?: string;
  icon?: string;
}

export interface UpdateCollectionInput {
  display_name?: string;
  description?: string | null;
  icon?: string | null;
  /** Field shown when records of this collection are referenced. */
  display_field?: string | null;
}

/** Type settings: enum `values`, decimal `precision`/`scale`, string `max_length`, file `bucket`. */
export interface FieldOptions {
  values?: string[];
  precision?: number;
  scale?: number;
  max_length?: number;
  bucket?: string;
}

export interface Field {
  id: string;
  collection_id: string;
  name: string;
  display_name: string;
  description: string | null;
  /** Aliases come back canonical (`boolean` as `bool`). */
  field_type: Exclude<FieldType, 'boolean'> | 'relation';
  sql_column_name: string;
  options: FieldOptions;
  is_required: boolean;
  is_unique: boolean;
  is_indexed: boolean;
  default_value: string | null;
  is_system: boolean;
  is_hidden: boolean;
  is_deleted: boolean;
  deleted_at: string | null;
  relation_target_collection_id: string | null;
  relation_type: string | null;
  relation_on_delete: string | null;
  relation_display_field: string | null;
  created_at: string;
  updated_at: string;
}

interface FieldSettings {
  display_name?: string;
  is_required?: boolean;
  is_unique?: boolean;
  is_indexed?: boolean;
  /** Text fields: a trigram index keeps substring search fast. */
  is_searchable?: boolean;
  is_hidden?: boolean;
  default_value?: unknown;
  options?: FieldOptions;
}

export interface CreateFieldInput extends FieldSettings {
  name: string;
  /** Relations are made with `relations.create`. */
  field_type: FieldType;
  description?: string;
}

export interface UpdateFieldInput extends FieldSettings {
  description?: string | null;
}

export type OnDeleteAction = 'RESTRICT' | 'CASCADE' | 'SET NULL';

export interface CreateRelationInput {
  /** many_to_one relations get the column `<name>_id`. */
  name: string;
  display_name?: string;
  /** Id of the target collection (may be the same collection). */
  target_collection_id: string;
  /** Default `many_to_one`. */
  relation_type?: 'many_to_one' | 'many_to_many';
  /** Default `RESTRICT`. */
  on_delete?: OnDeleteAction;
  display_field?: string | null;
  is_required?: boolean;
}

export interface Relation {
  id: string;
  collection_id: string;
  collection_name: string;
  name: string;
  display_name: string;
  field_type: 'relation';
  /** `<name>_id` for many_to_one; null for many_to_many (see `junction_table`). */
  sql_column_name: string | null;
  is_required: boolean;
  relation_target_collection_id: string;
  relation_type: 'many_to_one' | 'many_to_many';
  relation_on_delete: OnDeleteAction;
  relation_display_field: string | null;
  target_collection_name: string;
  junction_table: string | null;
  created_at: string;
  updated_at: string;
}

/** One choice of a relation setting, as the console shows it. */
export interface RelationOption {
  value: string;
  label: string;
  description: string;
}

export interface RelationOptions {
  relation_types: RelationOption[];
  on_delete_actions: RelationOption[];
}

/** A relation of another collection pointing at this one. */
export interface ReverseRelation {
  id: string;
  name: string;
  display_name: string;
  source_collection_id: string;
  source_collection_name: string;
  relation_type: 'one_to_many' | 'many_to_many';
  sql_column_name: string | null;
  /** The `expand` name on this collection, e.g. `posts_via_author`. */
  reverse_name: string;
  junction_table: string | null;
}

export type PolicyAction = 'create' | 'read' | 'update' | 'delete' | 'list';
export type PolicyEffect = 'allow' | 'deny';
export type PrincipalKind = 'admin_user' | 'app_user' | 'api_key' | 'anonymous';

/**
 * A policy condition: the `{ type: 'authenticated' | 'owner' | 'app_user_owner' | 'field_equals'
 * | 'and' | 'or' | 'not', ... }` form, or the console form `{ field: value | { $op: value },
 * $and?, $or?, $not? }`. Values may be `$current_user_id`, `$current_app_user_id`,
 * `$current_user_roles`, `$current_user_email`, `$now`.
 */
export type PolicyCondition = Record<string, unknown>;

interface PolicySettings {
  effect?: PolicyEffect;
  /** `null` (or none): the policy applies to every row. */
  condition?: PolicyCondition | null;
  /** Higher runs first. */
  priority?: number;
  is_active?: boolean;
  /** Empty: admin_user and api_key. */
  allowed_principals?: readonly PrincipalKind[] | string;
  require_email_verified?: boolean;
  /** App users must hold one of these roles. */
  allowed_roles?: readonly string[] | string;
  /** Fields readable under this policy (null = all). */
  read_fields?: string[] | null;
  /** Fields writable under this policy (null = all). */
  write_fields?: string[] | null;
}

export interface CreatePolicyInput extends PolicySettings {
  name: string;
  action: PolicyAction;
}

export interface UpdatePolicyInput extends PolicySettings {
  name?: string;
}

export interface Policy {
  id: string;
  collection_id: string;
  name: string;
  action: PolicyAction;
  effect: PolicyEffect;
  condition_json: string | null;
  condition: PolicyCondition | null;
  is_active: boolean;
  priority: number;
  /** Comma-separated. */
  allowed_principals: string;
  require_email_verified: boolean;
  /** Comma-separated, or null. */
  allowed_roles: string | null;
  read_fields: string[] | null;
  write_fields: string[] | null;
  created_at: string;
  updated_at: string;
}

export interface ExplainStep {
  policy_id: string;
  name: string;
  priority: number;
  effect: PolicyEffect;
  result: 'skipped' | 'matches_all_rows' | 'matches_some_rows' | 'matches_no_rows' | 'not_reached';
  reason: string;
  condition: string | null;
}

/** Which policy decides a request, why earlier ones were skipped, and the row filter. */
export interface PolicyExplanation {
  action: PolicyAction;
  as: string;
  principal: Record<string, unknown>;
  decision: 'allow_all' | 'row_filter' | 'deny';
  /** The status a data request would get: 401/403 when denied, else 200. */
  status: number;
  detail: string;
  decided_by: { id: string; name: string; effect: PolicyEffect } | null;
  steps: ExplainStep[];
  row_filter: string | null;
}

export type RuleType =
  | 'min_length'
  | 'max_length'
  | 'regex'
  | 'custom_regex'
  | 'email'
  | 'url'
  | 'uuid'
  | 'min_value'
  | 'max_value'
  | 'range'
  | 'enum'
  | 'not_empty'
  | 'date_format'
  | 'required_if';

/** A validation rule of one field, checked on every create and update. */
export interface ValidationRule {
  id: string;
  field_id: string;
  field_name: string;
  collection_id: string;
  rule_type: RuleType;
  config: Record<string, unknown>;
  error_message: string | null;
  priority: number;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

export interface CreateRuleInput {
  rule_type: RuleType;
  /** Per rule type, e.g. `{ min: 3 }`; see `ruleTypes()`. */
  config?: Record<string, unknown>;
  /** Replaces the default message. */
  error_message?: string | null;
  /** Lower runs first. */
  priority?: number;
  is_active?: boolean;
}

export interface UpdateRuleInput {
  /** Replaces the whole config; null means `{}`. */
  config?: Record<string, unknown> | null;
  error_message?: string | null;
  priority?: number;
  is_active?: boolean;
}

/** How the console edits one config key: a whole number, a number, text, a list or any JSON. */
export type RuleConfigKind = 'int' | 'number' | 'str' | 'list' | 'any';

export interface RuleTypeInfo {
  type: RuleType;
  applies_to: string[];
  config_schema: Record<string, RuleConfigKind>;
  required_config: string[];
  default_message: string;
  description: string;
}

export interface ValidateResult {
  valid: boolean;
  is_valid: boolean;
  errors: { field: string; rule: string; message: string }[];
}

export interface ValidationsApi {
  /** The rule types and their config. */
  ruleTypes(call?: CallOptions): Promise<RuleTypeInfo[]>;
  list(
    collection: string,
    field: string,
    options?: { include_inactive?: boolean },
    call?: CallOptions,
  ): Promise<ValidationRule[]>;
  create(collection: string, field: string, input: CreateRuleInput): Promise<ValidationRule>;
  get(ruleId: string, call?: CallOptions): Promise<ValidationRule>;
  update(ruleId: string, input: UpdateRuleInput): Promise<ValidationRule>;
  delete(ruleId: string): Promise<void>;
  /** Checks a payload against the collection's rules without writing (200 either way). */
  validate(
    collection: string,
    input: {
      data: Record<string, unknown>;
      mode?: 'create' | 'update';
      existing?: Record<string, unknown>;
    },
  ): Promise<ValidateResult>;
}

export interface CollectionsApi {
  list(call?: CallOptions): Promise<Collection[]>;
  create(input: CreateCollectionInput): Promise<Collection>;
  get(name: string, call?: CallOptions): Promise<Collection>;
  update(name: string, input: UpdateCollectionInput): Promise<Collection>;
  /** Drops the collection and its data; `confirm` must repeat the name. */
  delete(name: string, options: { confirm: string }): Promise<void>;
}

export interface FieldsApi {
  list(
    options?: { include_hidden?: boolean; include_deleted?: boolean },
    call?: CallOptions,
  ): Promise<Field[]>;
  get(name: string, call?: CallOptions): Promise<Field>;
  create(input: CreateFieldInput): Promise<Field>;
  update(name: string, input: UpdateFieldInput): Promise<Field>;
  delete(name: string): Promise<void>;
}

export interface RelationsApi {
  /** Adds a many_to_one (FK column) or many_to_many (junction table) relation to a collection. */
  create(collectionId: string, input: CreateRelationInput): Promise<Relation>;
  /** The relations of one collection, or of the whole project without an id. */
  list(collectionId?: string, call?: CallOptions): Promise<Relation[]>;
  /** Relations of other collections that point at this one. */
  reverse(collectionId: string, call?: CallOptions): Promise<ReverseRelation[]>;
  /** The relation types and on-delete actions, with labels and descriptions. */
  options(call?: CallOptions): Promise<RelationOptions>;
  /** Drops the relation: its FK and column, or its junction table. */
  delete(relationId: string): Promise<void>;
}

export interface PoliciesApi {
  list(options?: { include_inactive?: boolean }, call?: CallOptions): Promise<Policy[]>;
  get(policyId: string, call?: CallOptions): Promise<Policy>;
  create(input: CreatePolicyInput): Promise<Policy>;
  update(policyId: string, input: UpdatePolicyInput): Promise<Policy>;
  delete(policyId: string): Promise<void>;
  /**
   * How the policies decide `action` for a principal: `as` is `app_user:<id>`, `api_key`,
   * `anonymous` (default) or `admin`.
   */
  explain(
    input: { action: PolicyAction; as?: string },
    call?: CallOptions,
  ): Promise<PolicyExplanation>;
}

/** Schema of one project (`/api/projects/{pid}/schema/*`); needs an admin session. */
export interface SchemaApi {
  collections: CollectionsApi;
  fields(collection: string): FieldsApi;
  relations: RelationsApi;
  policies(collection: string): PoliciesApi;
  /** Field validation rules (`/api/projects/{pid}/validations`). */
  validations: ValidationsApi;
  /** Renames, soft deletes, drops and type changes, at once or queued. */
  evolution: EvolutionApi;
}

export function createSchemaApi(http: Transport, projectId: string): SchemaApi {
  const base = `/api/projects/${seg(projectId)}/schema`;
  const coll = (name: string) => `${base}/collections/${seg(name)}`;
  const collections: CollectionsApi = {
    list: (call) => http.request('GET', `${base}/collections`, call),
    create: (body) => http.request('POST', `${base}/collections`, { body }),
    get: (name, call) => http.request('GET', coll(name), call),
    update: (name, body) => http.request('PATCH', coll(name), { body }),
    delete: (name, { confirm }) => http.request('DELETE', coll(name), { query: { confirm } }),
  };
  const fields = (collection: string): FieldsApi => {
    const at = `${coll(collection)}/fields`;
    return {
      list: (options = {}, call) => http.request('GET', at, { query: { ...options }, ...call }),
      get: (name, call) => http.request('GET', `${at}/${seg(name)}`, call),
      create: (body) => http.request('POST', at, { body }),
      update: (name, body) => http.request('PATCH', `${at}/${seg(name)}`, { body }),
      delete: (name) => http.request('DELETE', `${at}/${seg(name)}`),
    };
  };
  const rel = `${base}/relations`;
  const relations: RelationsApi = {
    create: (collectionId, body) =>
      http.request('POST', `${rel}/collections/${seg(collectionId)}/relations`, { body }),
    list: (collectionId, call) =>
      http.request(
        'GET',
        collectionId === undefined ? rel : `${rel}/collections/${seg(collectionId)}/relations`,
        call,
      ),
    reverse: (collectionId, call) =>
      http.request('GET', `${rel}/collections/${seg(collectionId)}/reverse-relations`, call),
    options: (call) => http.request('GET', `${rel}/relation-options`, call),
    delete: (relationId) => http.request('DELETE', `${rel}/${seg(relationId)}`),
  };
  const policies = (collection: string): PoliciesApi => {
    const at = `${coll(collection)}/policies`;
    return {
      list: (options = {}, call) => http.request('GET', at, { query: { ...options }, ...call }),
      get: (id, call) => http.request('GET', `${at}/${seg(id)}`, call),
      create: (body) => http.request('POST', at, { body }),
      update: (id, body) => http.request('PATCH', `${at}/${seg(id)}`, { body }),
      delete: (id) => http.request('DELETE', `${at}/${seg(id)}`),
      explain: (query, call) =>
        http.request('GET', `${at}/explain`, { query: { ...query }, ...call }),
    };
  };
  const val = `/api/projects/${seg(projectId)}/validations`;
  const rules = (collection: string, field: string) =>
    `${val}/collections/${seg(collection)}/fields/${seg(field)}/rules`;
  const validations: ValidationsApi = {
    ruleTypes: async (call) =>
      (await http.request<{ rule_types: RuleTypeInfo[] }>('GET', `${val}/rule-types`, call))
        .rule_types,
    list: (collection, field, options = {}, call) =>
      http.request('GET', rules(collection, field), { query: { ...options }, ...call }),
    create: (collection, field, body) => http.request('POST', rules(collection, field), { body }),
    get: (id, call) => http.request('GET', `${val}/rules/${seg(id)}`, call),
    update: (id, body) => http.request('PATCH', `${val}/rules/${seg(id)}`, { body }),
    delete: (id) => http.request('DELETE', `${val}/rules/${seg(id)}`),
    validate: (collection, body) =>
      http.request('POST', `${val}/collections/${seg(collection)}/validate`, { body }),
  };
  return {
    collections,
    fields,
    relations,
    policies,
    validations,
    evolution: createEvolutionApi(http, projectId),
  };
}
