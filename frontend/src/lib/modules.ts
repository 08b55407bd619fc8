import {
  Activity,
  Database,
  FileStack,
  GitCompareArrows,
  KeyRound,
  LayoutDashboard,
  Mail,
  Network,
  Settings,
  ShieldCheck,
  ShieldHalf,
  Table2,
  UserCog,
  Users,
  Eye,
  Webhook,
  Workflow,
  ListChecks,
  Radio,
  TerminalSquare,
  type LucideIcon,
} from 'lucide-react';

export type ModuleSlug =
  | ''
  | 'schema'
  | 'data'
  | 'relations'
  | 'validations'
  | 'policies'
  | 'rbac'
  | 'users'
  | 'auth'
  | 'api-keys'
  | 'files'
  | 'views'
  | 'sql'
  | 'webhooks'
  | 'workflows'
  | 'realtime'
  | 'logs'
  | 'schema-evolution'
  | 'mailbox'
  | 'settings';

export interface ProjectModule {
  slug: ModuleSlug;
  label: string;
  icon: LucideIcon;
  group: 'Project' | 'Database' | 'Access' | 'Integrations' | 'Operations' | 'Manage';
  summary: string;
  /** What the finished page will offer; shown on the "Coming soon" panel. */
  planned: string[];
  ready: boolean;
}

/** Every product module of a project, in sidebar order. */
export const PROJECT_MODULES: ProjectModule[] = [
  {
    slug: '',
    label: 'Overview',
    icon: LayoutDashboard,
    group: 'Project',
    summary: 'Project identity, quick links and a first API call.',
    planned: [],
    ready: true,
  },
  {
    slug: 'schema',
    label: 'Schema',
    icon: Database,
    group: 'Database',
    summary: 'Design collections and fields that become real PostgreSQL tables.',
    planned: [
      'Create, rename and delete collections',
      'Add fields of every type: string, text, int, decimal, bool, date, json, enum, file, relation',
      'Required, unique, indexed, default and hidden flags',
      'Every change applied in one transaction and recorded as a schema operation',
    ],
    ready: true,
  },
  {
    slug: 'data',
    label: 'Data',
    icon: Table2,
    group: 'Database',
    summary: 'Browse and edit the records of each collection.',
    planned: [
      'Spreadsheet-style table with filters, sort and pagination kept in the URL',
      'Create, edit and delete records with typed inputs',
      'Expand relations inline',
      'Import and export CSV or JSON',
    ],
    ready: true,
  },
  {
    slug: 'relations',
    label: 'Relations',
    icon: Network,
    group: 'Database',
    summary: 'Connect collections with real foreign keys.',
    planned: [
      'Many-to-one, one-to-many and many-to-many relations',
      'On-delete behaviour: restrict, cascade or set null',
      'Outgoing and incoming relations per collection',
    ],
    ready: true,
  },
  {
    slug: 'validations',
    label: 'Validations',
    icon: ListChecks,
    group: 'Database',
    summary: 'Rules every write must pass, per field.',
    planned: [
      'Length, range, pattern, email, URL and custom-message rules',
      'Try a payload against the rules before saving',
    ],
    ready: true,
  },
  {
    slug: 'policies',
    label: 'Policies',
    icon: ShieldCheck,
    group: 'Access',
    summary: 'Row-level access rules for the data API.',
    planned: [
      'Allow or deny list, read, create, update and delete per collection',
      'Conditions such as owner = $current_app_user_id, compiled to SQL',
      'Explain why a principal may or may not act',
    ],
    ready: true,
  },
  {
    slug: 'rbac',
    label: 'Roles',
    icon: ShieldHalf,
    group: 'Access',
    summary: 'Roles for app users, used by policies.',
    planned: ['Create, edit and delete roles', 'Assign roles to app users', 'Default roles'],
    ready: true,
  },
  {
    slug: 'users',
    label: 'App Users',
    icon: Users,
    group: 'Access',
    summary: 'The end users of the apps built on this project.',
    planned: [
      'Search, create, edit, disable and delete app users',
      'Verify emails and revoke sessions',
      'Custom profile fields',
    ],
    ready: true,
  },
  {
    slug: 'auth',
    label: 'Authentication',
    icon: UserCog,
    group: 'Access',
    summary: 'How app users sign up and sign in.',
    planned: [
      'Email and password, magic link and one-time codes',
      'Google, GitHub and OpenID Connect providers',
      'Token lifetimes, public signup and email verification',
      'Copy-ready code snippets for every flow',
    ],
    ready: true,
  },
  {
    slug: 'api-keys',
    label: 'API Keys',
    icon: KeyRound,
    group: 'Access',
    summary: 'Server-side keys for the data API.',
    planned: [],
    ready: true,
  },
  {
    slug: 'files',
    label: 'Files',
    icon: FileStack,
    group: 'Integrations',
    summary: 'Buckets and uploaded files.',
    planned: [
      'Public and private buckets with type and size limits',
      'Upload, download and delete files',
      'Signed download links with expiry',
    ],
    ready: true,
  },
  {
    slug: 'views',
    label: 'Views',
    icon: Eye,
    group: 'Integrations',
    summary: 'Saved, versioned queries readable like collections.',
    planned: [
      'Joins along relations, filters, parameters and aggregations',
      'Run a view and see its results',
      'Generated API documentation and snippets',
    ],
    ready: true,
  },
  {
    slug: 'sql',
    label: 'SQL',
    icon: TerminalSquare,
    group: 'Database',
    summary: "Run SQL as the project's own PostgreSQL role.",
    planned: ['SQL editor with completion', 'Results grid and history', 'Owner-only write switch'],
    ready: true,
  },
  {
    slug: 'webhooks',
    label: 'Webhooks',
    icon: Webhook,
    group: 'Integrations',
    summary: 'Signed HTTP callbacks on record, schema and auth events.',
    planned: [
      'Choose events and collections',
      'Secret shown once; HMAC-SHA256 signatures',
      'Delivery log with retries and redeliver',
    ],
    ready: true,
  },
  {
    slug: 'workflows',
    label: 'Workflows',
    icon: Workflow,
    group: 'Integrations',
    summary: 'Automations triggered by records, schedules, HTTP calls or by hand.',
    planned: [
      'Triggers: record created, updated, deleted; manual; cron schedule; HTTP functions',
      'Steps: HTTP request, record actions, send email, condition, delay, transform, script',
      'Run history with per-step logs, retry and cancel',
    ],
    ready: true,
  },
  {
    slug: 'realtime',
    label: 'Realtime',
    icon: Radio,
    group: 'Operations',
    summary: 'Connected WebSocket clients and a live tail of record changes.',
    planned: [
      'Clients per project with their principal, subscriptions and lag',
      'A live tail of record changes',
    ],
    ready: true,
  },
  {
    slug: 'logs',
    label: 'Audit Logs',
    icon: Activity,
    group: 'Operations',
    summary: 'Who changed what, and when.',
    planned: [
      'Filter by action, actor, collection, record and time range',
      'Side-by-side diffs of every change',
      'Schema operations with their SQL',
    ],
    ready: true,
  },
  {
    slug: 'schema-evolution',
    label: 'Schema Evolution',
    icon: GitCompareArrows,
    group: 'Operations',
    summary: 'Safe renames, type changes and soft deletes.',
    planned: [
      'Preview the DDL and warnings before applying',
      'Aliases keep old names working for a while',
      'Restore soft-deleted collections and fields',
    ],
    ready: true,
  },
  {
    slug: 'mailbox',
    label: 'Mailbox',
    icon: Mail,
    group: 'Operations',
    summary: 'Development inbox for emails sent without SMTP.',
    planned: [
      'See verification, magic-link and reset emails sent by this project',
      'Open links and codes directly while developing',
    ],
    ready: true,
  },
  {
    slug: 'settings',
    label: 'Settings',
    icon: Settings,
    group: 'Manage',
    summary: 'Name, members and the danger zone.',
    planned: [],
    ready: true,
  },
];

export const MODULE_GROUPS: ProjectModule['group'][] = [
  'Project',
  'Database',
  'Access',
  'Integrations',
  'Operations',
  'Manage',
];

export function findModule(slug: ModuleSlug): ProjectModule {
  const found = PROJECT_MODULES.find((m) => m.slug === slug);
  if (!found) throw new Error(`Unknown module ${slug}`);
  return found;
}
