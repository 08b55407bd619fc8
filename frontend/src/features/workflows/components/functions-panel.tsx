import { Pencil, Plus, Zap } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { CopyButton } from '@/components/ui/copy-button';
import { EmptyState } from '@/components/ui/empty-state';
import { FUNCTION_PRINCIPALS, type FunctionPrincipal, type Workflow } from '../types';

/** The credential header a caller of this function sends in the snippet. */
function authHeader(principals: readonly FunctionPrincipal[]): string | null {
  if (principals.includes('anonymous')) return null;
  if (principals.includes('api_key')) return "-H 'X-API-Key: <your API key>'";
  if (principals.includes('app_user')) return "-H 'Authorization: Bearer <app user access token>'";
  return "-H 'Authorization: Bearer <admin access token>'";
}

/** A copy-paste curl call of a function, with an example body from its `{{input.…}}` paths. */
export function curlSnippet(w: Workflow): string {
  const url = w.function_url ?? '';
  const keys = [
    ...new Set(
      [...JSON.stringify(w.steps).matchAll(/\{\{\s*input\.([A-Za-z_][\w]*)/g)].map((m) => m[1]),
    ),
  ];
  const body = JSON.stringify(Object.fromEntries(keys.map((k) => [k, '…'])));
  const auth = authHeader(w.trigger_config.allowed_principals ?? ['admin', 'api_key']);
  return [
    `curl -X POST '${url}'`,
    `  -H 'Content-Type: application/json'`,
    ...(auth ? [`  ${auth}`] : []),
    `  -d '${body}'`,
  ].join(' \\\n');
}

interface FunctionsPanelProps {
  workflows: Workflow[];
  canEdit: boolean;
  onOpen: (w: Workflow) => void;
  onNew: () => void;
}

/** Every workflow with an http trigger: its URL, who may call it, and a curl snippet. */
export function FunctionsPanel({ workflows, canEdit, onOpen, onNew }: FunctionsPanelProps) {
  const functions = workflows.filter((w) => w.trigger_type === 'http');
  if (functions.length === 0)
    return (
      <EmptyState
        icon={Zap}
        title="No functions yet"
        description="A function is a workflow with an HTTP trigger: POST its URL and it runs the steps, answering the last step’s output."
        action={
          canEdit ? (
            <Button onClick={onNew}>
              <Plus aria-hidden="true" />
              New function
            </Button>
          ) : undefined
        }
      />
    );
  return (
    <div className="grid gap-4">
      {canEdit && (
        <div className="flex justify-end">
          <Button variant="outline" onClick={onNew}>
            <Plus aria-hidden="true" />
            New function
          </Button>
        </div>
      )}
      {functions.map((w) => {
        const principals = w.trigger_config.allowed_principals ?? ['admin', 'api_key'];
        return (
          <Card key={w.id} data-testid="function-card" data-function-slug={w.trigger_config.slug}>
            <CardHeader
              title={
                <span className="inline-flex flex-wrap items-center gap-2">
                  <Zap className="size-4 text-primary" aria-hidden="true" />
                  {w.name}
                  {!w.is_active && <Badge>inactive</Badge>}
                  {w.trigger_config.async && <Badge tone="accent">async</Badge>}
                </span>
              }
              description={
                w.trigger_config.async
                  ? 'Answers 202 {run_id, status} at once; the run continues.'
                  : 'Answers the last step’s output (502 when the run fails).'
              }
              actions={
                <Button variant="ghost" size="sm" onClick={() => onOpen(w)}>
                  <Pencil aria-hidden="true" />
                  Open
                </Button>
              }
            />
            <CardContent className="grid gap-4">
              <div className="flex min-w-0 items-center gap-2">
                <code
                  className="block min-w-0 flex-1 truncate rounded-md border border-border bg-muted/40 px-2.5 py-2 font-mono text-xs"
                  title={w.function_url ?? ''}
                  data-testid="function-url"
                >
                  POST {w.function_url}
                </code>
                <CopyButton value={w.function_url ?? ''} label="Copy URL" />
              </div>
              <div className="flex flex-wrap items-center gap-1.5 text-xs">
                <span className="text-muted-foreground">Callers:</span>
                {FUNCTION_PRINCIPALS.filter((p) => principals.includes(p)).map((p) => (
                  <Badge key={p} tone="neutral" className="font-mono">
                    {p}
                  </Badge>
                ))}
                {principals.length === 0 && <span className="text-warning">nobody</span>}
              </div>
              <CodeBlock code={curlSnippet(w)} label="curl" />
            </CardContent>
          </Card>
        );
      })}
    </div>
  );
}
