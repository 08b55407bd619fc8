import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Microscope } from 'lucide-react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { explainQueryOptions, policyAppUsersQueryOptions } from '../api/policies-query';
import { POLICY_ACTIONS, type ExplainResult, type ExplainStep, type PolicyAction } from '../types';

const decisionTone: Record<ExplainResult['decision'], BadgeTone> = {
  allow_all: 'success',
  row_filter: 'accent',
  deny: 'danger',
};
const decisionLabel: Record<ExplainResult['decision'], string> = {
  allow_all: 'Allowed: every row',
  row_filter: 'Allowed: filtered rows',
  deny: 'Denied',
};
const stepTone: Record<ExplainStep['result'], BadgeTone> = {
  matches_all_rows: 'success',
  matches_some_rows: 'accent',
  matches_no_rows: 'warning',
  skipped: 'neutral',
  not_reached: 'neutral',
};

export function ExplainPanel({ projectId, collection }: { projectId: string; collection: string }) {
  const [action, setAction] = useState<PolicyAction>('list');
  const [as, setAs] = useState('anonymous');
  const [asked, setAsked] = useState<{ action: PolicyAction; as: string } | null>(null);
  const users = useQuery(policyAppUsersQueryOptions(projectId, ''));
  const result = useQuery({
    ...explainQueryOptions(projectId, collection, asked?.action ?? 'list', asked?.as ?? ''),
    enabled: asked !== null,
  });

  return (
    <Card data-testid="explain-panel">
      <CardHeader
        title="Explain this request"
        description="Which policy decides a request, why earlier ones were skipped, and the SQL row filter that results."
      />
      <CardContent className="space-y-4">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            setAsked({ action, as });
          }}
        >
          <Field id="explain-action" label="Action" className="w-36">
            <Select
              id="explain-action"
              value={action}
              onChange={(e) => setAction(e.target.value as PolicyAction)}
            >
              {POLICY_ACTIONS.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </Select>
          </Field>
          <Field id="explain-as" label="As" className="min-w-64 flex-1">
            <Select id="explain-as" value={as} onChange={(e) => setAs(e.target.value)}>
              <option value="anonymous">Anonymous visitor</option>
              <option value="api_key">Public API key</option>
              <option value="service_key">Service API key</option>
              <option value="admin">Project admin</option>
              {(users.data?.users ?? []).length > 0 && (
                <optgroup label="App users">
                  {(users.data?.users ?? []).map((u) => (
                    <option key={u.id} value={`app_user:${u.id}`}>
                      {u.email}
                    </option>
                  ))}
                </optgroup>
              )}
            </Select>
          </Field>
          <Button type="submit" variant="outline" loading={result.isFetching}>
            {!result.isFetching && <Microscope aria-hidden="true" />}
            Explain
          </Button>
        </form>

        {asked === null ? (
          <p className="text-sm text-muted-foreground">
            Pick an action and a principal, then explain.
          </p>
        ) : result.isError ? (
          <ProblemAlert error={result.error} />
        ) : !result.data ? (
          <Skeleton className="h-24" />
        ) : (
          <ExplainResultView result={result.data} />
        )}
      </CardContent>
    </Card>
  );
}

function ExplainResultView({ result }: { result: ExplainResult }) {
  return (
    <div className="space-y-4" data-testid="explain-result">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={decisionTone[result.decision]} dot data-testid="explain-decision">
          {decisionLabel[result.decision]}
        </Badge>
        <Badge>HTTP {result.status}</Badge>
        {result.decided_by && (
          <span className="text-sm text-muted-foreground">
            decided by <span className="font-medium text-foreground">{result.decided_by.name}</span>
          </span>
        )}
      </div>
      <p className="text-sm">{result.detail}</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
        <dt className="text-muted-foreground">Principal</dt>
        <dd>
          <code className="font-mono">{JSON.stringify(result.principal)}</code>
        </dd>
        {result.row_filter !== null && (
          <>
            <dt className="text-muted-foreground">Row filter</dt>
            <dd>
              <code
                className="rounded bg-muted px-1.5 py-0.5 font-mono break-all"
                data-testid="explain-row-filter"
              >
                {result.row_filter}
              </code>
            </dd>
          </>
        )}
      </dl>
      {result.steps.length === 0 ? (
        <p className="text-sm text-muted-foreground">No policy exists for this action.</p>
      ) : (
        <ol className="space-y-2" aria-label="Policy steps">
          {result.steps.map((s, i) => (
            <li
              key={s.policy_id}
              className="rounded-lg border border-border px-3 py-2"
              data-testid="explain-step"
            >
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-mono text-xs text-muted-foreground">{i + 1}.</span>
                <span className="font-medium">{s.name}</span>
                <Badge tone={s.effect === 'allow' ? 'success' : 'danger'}>{s.effect}</Badge>
                <span className="text-xs text-muted-foreground">priority {s.priority}</span>
                <Badge tone={stepTone[s.result]} className="ml-auto">
                  {s.result.replace(/_/g, ' ')}
                </Badge>
              </div>
              <p className="mt-1 text-xs text-muted-foreground">{s.reason}</p>
              {s.condition && !s.reason.includes(s.condition) && (
                <code className="mt-1 block font-mono text-xs break-all">{s.condition}</code>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
