import { useId, useState } from 'react';
import { CheckCircle2, FlaskConical, XCircle } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Textarea } from '@/components/ui/textarea';
import type { FieldDef } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { useValidatePayload } from '../api/validation-mutations';

function sampleValue(f: FieldDef): unknown {
  switch (f.field_type) {
    case 'int':
    case 'float':
    case 'decimal':
      return 0;
    case 'bool':
      return false;
    case 'json':
      return {};
    case 'enum':
      return f.options?.values?.[0] ?? '';
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'datetime':
      return new Date().toISOString();
    default:
      return '';
  }
}

function samplePayload(fields: FieldDef[]): string {
  const data: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.field_type === 'relation' || f.field_type === 'file') continue;
    data[f.name] = sampleValue(f);
  }
  return JSON.stringify(data, null, 2);
}

export function TryPayloadPanel({
  projectId,
  collection,
  fields,
}: {
  projectId: string;
  collection: string;
  fields: FieldDef[];
}) {
  const id = useId();
  const [text, setText] = useState(() => samplePayload(fields));
  const [mode, setMode] = useState<'create' | 'update'>('create');
  const [parseError, setParseError] = useState<string | null>(null);
  const validate = useValidatePayload(projectId, collection);

  function run() {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      setParseError(e instanceof Error ? e.message : 'Invalid JSON');
      return;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      setParseError('The payload must be a JSON object.');
      return;
    }
    setParseError(null);
    validate.mutate({ data: data as Record<string, unknown>, mode });
  }

  const result = validate.data;
  return (
    <Card data-testid="try-payload">
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            <FlaskConical className="size-4 text-primary" aria-hidden="true" />
            Try a payload
          </span>
        }
        description={`Checks a record for “${collection}” against types, required fields and active rules. Nothing is saved.`}
      />
      <CardContent className="grid grid-cols-1 gap-5 xl:grid-cols-2">
        <div className="space-y-3">
          <div className="flex items-center justify-between gap-2">
            <Label htmlFor={`${id}-json`}>Payload (JSON)</Label>
            <div
              role="radiogroup"
              aria-label="Mode"
              className="flex gap-1 rounded-lg bg-muted p-1 text-xs"
            >
              {(['create', 'update'] as const).map((m) => (
                <button
                  key={m}
                  type="button"
                  role="radio"
                  aria-checked={mode === m}
                  onClick={() => setMode(m)}
                  className={cn(
                    'cursor-pointer rounded-md px-2.5 py-1 font-medium capitalize focus-visible:outline-2 focus-visible:outline-ring',
                    mode === m
                      ? 'bg-card text-foreground shadow-xs'
                      : 'text-muted-foreground hover:text-foreground',
                  )}
                >
                  {m}
                </button>
              ))}
            </div>
          </div>
          <Textarea
            id={`${id}-json`}
            value={text}
            spellCheck={false}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
                e.preventDefault();
                run();
              }
            }}
            aria-invalid={parseError ? true : undefined}
            className="min-h-44 font-mono text-xs leading-relaxed"
          />
          <div className="flex items-center justify-between gap-2">
            <p className="text-xs text-muted-foreground">
              {mode === 'update'
                ? 'Update mode checks only the keys you send.'
                : 'Create mode also checks required fields.'}{' '}
              Ctrl+Enter runs it.
            </p>
            <Button onClick={run} loading={validate.isPending}>
              Validate
            </Button>
          </div>
        </div>
        <div className="space-y-3" aria-live="polite" data-testid="validation-result">
          <p className="text-sm font-medium">Result</p>
          {parseError ? (
            <Alert tone="danger" title="Not valid JSON">
              {parseError}
            </Alert>
          ) : validate.isError ? (
            <ProblemAlert error={validate.error} />
          ) : !result ? (
            <div className="flex h-32 items-center justify-center rounded-lg border border-dashed border-border text-sm text-muted-foreground">
              Run the payload to see which rules pass.
            </div>
          ) : result.valid ? (
            <div className="flex items-start gap-3 rounded-lg border border-success/30 bg-success/10 px-4 py-3 text-sm">
              <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-success" aria-hidden="true" />
              <div>
                <p className="font-medium">Valid payload</p>
                <p className="text-muted-foreground">
                  It would be accepted on {mode === 'create' ? 'create' : 'update'}.
                </p>
              </div>
            </div>
          ) : (
            <div className="overflow-hidden rounded-lg border border-destructive/30">
              <div className="flex items-center gap-2 bg-destructive/10 px-4 py-2.5 text-sm font-medium">
                <XCircle className="size-4 text-destructive" aria-hidden="true" />
                Invalid payload · {result.errors.length} error
                {result.errors.length === 1 ? '' : 's'}
              </div>
              <ul className="divide-y divide-border">
                {result.errors.map((e, i) => (
                  <li
                    key={`${e.field}-${e.rule}-${i}`}
                    className="flex flex-wrap items-baseline gap-2 px-4 py-2 text-sm"
                    data-testid="validation-error"
                  >
                    <code className="font-mono text-xs font-semibold">{e.field}</code>
                    <span className="rounded bg-muted px-1.5 py-0.5 font-mono text-[11px] text-muted-foreground">
                      {e.rule}
                    </span>
                    <span>{e.message}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
