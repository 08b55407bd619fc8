export const TRIGGER_TYPES = [
  'record.created',
  'record.updated',
  'record.deleted',
  'schedule',
  'http',
  'manual',
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const isRecordTrigger = (t: TriggerType) => t.startsWith('record.');

export const STEP_ACTIONS = [
  'http_request',
  'create_record',
  'update_record',
  'delete_record',
  'query_records',
  'send_email',
  'condition',
  'delay',
  'transform',
  'script',
] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export const FUNCTION_PRINCIPALS = ['anonymous', 'app_user', 'api_key', 'admin'] as const;
export type FunctionPrincipal = (typeof FUNCTION_PRINCIPALS)[number];
export const DEFAULT_FUNCTION_PRINCIPALS: FunctionPrincipal[] = ['admin', 'api_key'];

export const HTTP_METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
export const MAX_STEPS = 50;
export const DEFAULT_RETRIES = 3;

export interface TriggerConfig {
  collection?: string;
  condition?: unknown;
  cron?: string;
  timezone?: string;
  slug?: string;
  allowed_principals?: FunctionPrincipal[];
  async?: boolean;
}

/** One step as the API stores it: its action, the common keys and that action's keys. */
export type Step = {
  action: StepAction;
  name?: string;
  retries?: number;
  timeout_ms?: number;
} & Record<string, unknown>;

export interface Workflow {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  is_active: boolean;
  trigger_type: TriggerType;
  trigger_config: TriggerConfig;
  steps: Step[];
  /** schedule: the next tick. */
  next_run_at: string | null;
  /** http: the absolute URL of POST /api/projects/{pid}/functions/{slug}. */
  function_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface WorkflowInput {
  name: string;
  description: string | null;
  trigger_type: TriggerType;
  trigger_config: TriggerConfig;
  steps: Step[];
  is_active: boolean;
}

export const RUN_STATUSES = [
  'queued',
  'running',
  'waiting',
  'completed',
  'failed',
  'cancelled',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];
export const isFinished = (s: RunStatus) => FINISHED_RUN_STATUSES.includes(s);

export type StepStatus =
  'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped' | 'cancelled';

export interface Run {
  id: string;
  workflow_id: string;
  status: RunStatus;
  trigger_type: string;
  trigger: {
    event?: string;
    event_id?: string;
    collection?: string;
    record?: Record<string, unknown>;
    old_record?: Record<string, unknown>;
  } | null;
  input: unknown;
  output: unknown;
  error: string | null;
  depth: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface StepLog {
  index: number;
  name: string | null;
  action: StepAction;
  status: StepStatus;
  /** The step as rendered (secrets shown as ***). */
  input: unknown;
  output: unknown;
  error: string | null;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
}

export type RunDetail = Run & { steps: StepLog[] };

export interface RunsPage {
  runs: Run[];
  total: number;
  limit: number;
  offset: number;
}

export interface Secret {
  name: string;
  created_at: string;
  updated_at: string;
}

export const WORKFLOW_VIEWS = ['workflows', 'functions', 'secrets'] as const;
export type WorkflowsView = (typeof WORKFLOW_VIEWS)[number];

/** The page's URL state: list view, or one workflow (`new` for a draft) and its tab and runs. */
export interface WorkflowsSearch {
  view?: Exclude<WorkflowsView, 'workflows'>;
  workflow?: string;
  /** The trigger a new workflow starts with. */
  trigger?: TriggerType;
  tab?: 'runs';
  run?: string;
  status?: RunStatus;
  offset?: number;
}

export const TRIGGER_LABELS: Record<TriggerType, { label: string; hint: string }> = {
  'record.created': { label: 'Record created', hint: 'A record is added to a collection' },
  'record.updated': { label: 'Record updated', hint: 'A record of a collection changes' },
  'record.deleted': { label: 'Record deleted', hint: 'A record is removed from a collection' },
  schedule: { label: 'Schedule', hint: 'On a cron schedule, in a time zone' },
  http: { label: 'HTTP function', hint: 'POST /functions/{slug} runs it and answers' },
  manual: { label: 'Manual', hint: 'Only when started by hand or through the API' },
};

export const ACTION_LABELS: Record<StepAction, { label: string; hint: string }> = {
  http_request: { label: 'HTTP request', hint: 'Call a URL; output {status, headers, body}' },
  create_record: { label: 'Create record', hint: 'Insert into a collection; output the record' },
  update_record: { label: 'Update record', hint: 'Change a record by id; output the record' },
  delete_record: { label: 'Delete record', hint: 'Delete a record by id' },
  query_records: { label: 'Query records', hint: 'Read records; output {records, count}' },
  send_email: { label: 'Send email', hint: 'Queue an email; output {queued, message_id}' },
  condition: { label: 'Condition', hint: 'Branch to a later step; output {result}' },
  delay: { label: 'Delay', hint: 'Wait (durably), then continue' },
  transform: { label: 'Transform', hint: 'Build JSON from a template; output the JSON' },
  script: { label: 'Script', hint: 'JavaScript in a sandbox; output its return value' },
};

export const PRINCIPAL_LABELS: Record<FunctionPrincipal, string> = {
  anonymous: 'Anonymous (no credentials)',
  app_user: 'App users (Bearer token)',
  api_key: 'API keys (X-API-Key)',
  admin: 'Project members (admin token)',
};
