import { useRef, useState, type FormEvent } from 'react';
import { KeyRound, Lock, PenLine, Trash2 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { ApiError } from '@/lib/backend';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { useDeleteSecret, usePutSecret } from '../api/workflow-mutations';
import { useSecrets } from '../api/workflows-query';
import { SECRET_NAME_PATTERN } from '../types';

/** Write-only secrets for `{{env.NAME}}`: names are listed, values never come back. */
export function SecretsPanel({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const secrets = useSecrets(projectId);
  const put = usePutSecret(projectId);
  const del = useDeleteSecret(projectId);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const valueRef = useRef<HTMLInputElement>(null);

  const nameOk = SECRET_NAME_PATTERN.test(name);
  const exists = secrets.data?.some((s) => s.name === name) ?? false;
  const serverField = (f: string) =>
    put.error instanceof ApiError
      ? put.error.errors.find((e) => e.field === f)?.message
      : undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!nameOk || value === '') return;
    put.mutate(
      { name, value },
      {
        onSuccess: () => {
          setName('');
          setValue('');
          setTouched(false);
        },
      },
    );
  }

  return (
    <div className="grid gap-6">
      {canEdit && (
        <Card>
          <CardHeader
            title="Set a secret"
            description="Steps read it as {{env.NAME}}. It is stored encrypted and never shown again; run logs show *** in its place."
          />
          <CardContent>
            <form onSubmit={submit} className="grid gap-4" noValidate>
              {put.error && !(put.error instanceof ApiError && put.error.errors.length) && (
                <ProblemAlert error={put.error} />
              )}
              <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)_auto] sm:items-start">
                <Field
                  id="secret-name"
                  label="Name"
                  hint="Upper-case letters, digits and _, starting with a letter."
                  error={
                    (touched && !nameOk
                      ? 'Use A–Z, 0–9 and _, starting with a letter'
                      : undefined) ?? serverField('name')
                  }
                >
                  <Input
                    id="secret-name"
                    value={name}
                    onChange={(e) => setName(e.target.value.toUpperCase())}
                    placeholder="STRIPE_KEY"
                    className="font-mono"
                    maxLength={64}
                    autoComplete="off"
                    spellCheck={false}
                    aria-invalid={(touched && !nameOk) || undefined}
                  />
                </Field>
                <Field
                  id="secret-value"
                  label="Value"
                  hint={exists ? `Replaces the current value of ${name}.` : 'Write-only.'}
                  error={
                    (touched && value === '' ? 'Enter a value' : undefined) ?? serverField('value')
                  }
                >
                  <Input
                    ref={valueRef}
                    id="secret-value"
                    type="password"
                    value={value}
                    onChange={(e) => setValue(e.target.value)}
                    autoComplete="new-password"
                    maxLength={8192}
                    aria-invalid={(touched && value === '') || undefined}
                  />
                </Field>
                <Button type="submit" className="sm:mt-6" loading={put.isPending}>
                  <Lock aria-hidden="true" />
                  {exists ? 'Replace secret' : 'Save secret'}
                </Button>
              </div>
            </form>
          </CardContent>
        </Card>
      )}

      <Card className="overflow-hidden">
        <CardHeader title="Secrets" description="Names only: values are never returned." />
        {secrets.isError ? (
          <div className="p-4">
            <ProblemAlert error={secrets.error} />
          </div>
        ) : secrets.isPending ? (
          <div className="grid gap-2 p-4">
            <Skeleton className="h-9" />
          </div>
        ) : secrets.data.length === 0 ? (
          <EmptyState
            icon={KeyRound}
            className="m-4"
            title="No secrets yet"
            description="Keep API tokens and passwords here instead of in step definitions."
          />
        ) : (
          <Table aria-label="Secrets">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Template</TH>
                <TH className="hidden sm:table-cell">Updated</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </tr>
            </THead>
            <TBody>
              {secrets.data.map((s) => (
                <TR key={s.name} data-testid="secret-row" data-secret-name={s.name}>
                  <TD className="font-mono text-xs font-medium">{s.name}</TD>
                  <TD>
                    <code className="font-mono text-xs text-muted-foreground">{`{{env.${s.name}}}`}</code>
                  </TD>
                  <TD
                    className="hidden text-xs whitespace-nowrap sm:table-cell"
                    title={formatDateTime(s.updated_at)}
                  >
                    {formatRelative(s.updated_at)}
                  </TD>
                  <TD>
                    {canEdit && (
                      <div className="flex justify-end gap-1">
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-label={`Replace ${s.name}`}
                          onClick={() => {
                            setName(s.name);
                            setValue('');
                            valueRef.current?.focus();
                          }}
                        >
                          <PenLine aria-hidden="true" />
                          <span className="hidden sm:inline">Replace</span>
                        </Button>
                        <Button
                          variant="ghost"
                          size="sm"
                          className="text-muted-foreground hover:text-destructive"
                          aria-label={`Delete ${s.name}`}
                          onClick={() => setDeleting(s.name)}
                        >
                          <Trash2 aria-hidden="true" />
                        </Button>
                      </div>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete secret"
        description={`Steps that use {{env.${deleting ?? ''}}} will see an empty value.`}
        confirmLabel="Delete secret"
        pending={del.isPending}
        onConfirm={() => deleting && del.mutate(deleting, { onSettled: () => setDeleting(null) })}
      />
    </div>
  );
}
