/** catalog.json of an archive: the project's definitions as the services list them. */
export interface BackupCatalog {
  project: {
    name: string;
    rate_limits: Record<string, number | null>;
    allowed_origins: string[] | null;
  };
  auth_settings: Record<string, unknown>;
  collections: {
    name: string;
    display_name: string;
    description: string | null;
    icon: string | null;
    display_field: string | null;
    is_system: boolean;
    fields: {
      name: string;
      display_name: string;
      description: string | null;
      field_type: string;
      options: object;
      is_required: boolean;
      is_unique: boolean;
      is_indexed: boolean;
      is_hidden: boolean;
      default_value: unknown;
    }[];
  }[];
  relations: {
    collection: string;
    target: string;
    name: string;
    display_name: string;
    relation_type: 'many_to_one' | 'many_to_many';
    on_delete: string | null;
    display_field: string | null;
    is_required: boolean;
  }[];
  validations: {
    collection: string;
    field: string;
    rule_type: string;
    config: Record<string, unknown> | null;
    error_message: string | null;
    priority: number;
    is_active: boolean;
  }[];
  policies: (Record<string, unknown> & { collection: string })[];
  roles: { name: string; display_name: string; description: string | null; is_default: boolean }[];
  buckets: Record<string, unknown>[];
  webhooks: {
    name: string;
    url: string;
    events: string[];
    collections: string[];
    is_active: boolean;
  }[];
  workflows: Record<string, unknown>[];
  /** Collections in data order (many-to-one targets first). */
  data_order: string[];
}
