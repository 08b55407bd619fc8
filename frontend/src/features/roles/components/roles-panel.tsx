import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Pencil, Plus, ShieldHalf, Sparkles, Trash2 } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { SwitchRow } from '@/components/ui/switch';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { Textarea } from '@/components/ui/textarea';
import { formatDate } from '@/lib/utils';
import {
  useCreateRole,
  useDeleteRole,
  rolePoliciesQueryOptions,
  useInitializeRoles,
  useRoles,
  useUpdateRole,
} from '../api/roles';
import { ROLE_NAME_PATTERN, type Role, type RolePolicy } from '../types';

export function RolesPanel({ projectId }: { projectId: string }) {
  const { data: roles } = useRoles(projectId);
  const usage = useQuery(rolePoliciesQueryOptions(projectId));
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const del = useDeleteRole(projectId);
  const init = useInitializeRoles(projectId);

  const createButton = (
    <Button onClick={() => setEditing('new')}>
      <Plus aria-hidden="true" />
      New role
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Roles"
        description="Named groups of app users. A role grants nothing until a policy names it (allowed roles, or a condition on $current_user_roles); each row says what it grants today."
        actions={
          <>
            <Button
              variant="outline"
              onClick={() => init.mutate(undefined)}
              loading={init.isPending}
            >
              {!init.isPending && <Sparkles aria-hidden="true" />}
              Initialize defaults
            </Button>
            {createButton}
          </>
        }
      />
      {roles.length === 0 ? (
        <EmptyState
          icon={ShieldHalf}
          title="No roles yet"
          description="Create roles such as editor or moderator, or start from the default set."
          action={createButton}
        />
      ) : (
        <Card className="overflow-hidden">
          <Table aria-label="Roles">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Display name</TH>
                <TH className="hidden md:table-cell">Description</TH>
                <TH>Grants</TH>
                <TH className="text-right">Users</TH>
                <TH>Flags</TH>
                <TH className="hidden lg:table-cell">Created</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </tr>
            </THead>
            <TBody>
              {roles.map((r) => (
                <TR key={r.id} data-testid="role-row" data-role-name={r.name}>
                  <TD>
                    <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">
                      {r.name}
                    </code>
                  </TD>
                  <TD className="font-medium">{r.display_name}</TD>
                  <TD className="hidden max-w-md truncate text-muted-foreground md:table-cell">
                    {r.description ?? '—'}
                  </TD>
                  <TD data-testid="role-grants">
                    <RoleGrants
                      projectId={projectId}
                      policies={usage.data?.get(r.name)}
                      loading={usage.isPending}
                    />
                  </TD>
                  <TD className="text-right tabular-nums" data-testid="role-users">
                    <span title="App users holding this role">{r.user_count ?? '—'}</span>
                  </TD>
                  <TD>
                    <div className="flex gap-1">
                      {r.is_default && (
                        <Badge tone="accent" dot>
                          default
                        </Badge>
                      )}
                      {r.is_system && <Badge>system</Badge>}
                    </div>
                  </TD>
                  <TD className="hidden text-muted-foreground lg:table-cell">
                    {formatDate(r.created_at)}
                  </TD>
                  <TD>
                    <div className="flex justify-end gap-1">
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Edit ${r.name}`}
                        onClick={() => setEditing(r)}
                      >
                        <Pencil aria-hidden="true" />
                      </Button>
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Delete ${r.name}`}
                        className="text-muted-foreground hover:text-destructive"
                        onClick={() => setDeleting(r)}
                      >
                        <Trash2 aria-hidden="true" />
                      </Button>
                    </div>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
      <RoleDialog projectId={projectId} role={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete role"
        description={`“${deleting?.name ?? ''}” is removed from every app user that holds it. Policies that name it stop matching.`}
        confirmLabel="Delete role"
        pending={del.isPending}
        onConfirm={() => deleting && del.mutate(deleting, { onSettled: () => setDeleting(null) })}
      />
    </>
  );
}

function RoleGrants({
  projectId,
  policies,
  loading,
}: {
  projectId: string;
  policies: RolePolicy[] | undefined;
  loading: boolean;
}) {
  if (loading) return <Skeleton className="h-4 w-32" />;
  if (!policies?.length)
    return (
      <span className="text-xs text-muted-foreground">
        Nothing yet: a role grants nothing until a policy names it.
      </span>
    );
  return (
    <ul className="space-y-0.5 text-xs">
      {policies.map((p) => (
        <li key={p.id} className={p.is_active ? undefined : 'opacity-60'}>
          <span className={p.effect === 'deny' ? 'text-destructive' : undefined}>
            {p.effect === 'deny' ? 'denies' : 'may'} {p.action}
          </span>{' '}
          on{' '}
          <Link
            to="/projects/$projectId/policies"
            params={{ projectId }}
            search={{ collection: p.collection }}
            className="font-medium text-primary hover:underline"
          >
            {p.collection}
          </Link>{' '}
          <span className="text-muted-foreground">
            (“{p.name}”{p.is_active ? '' : ', inactive'})
          </span>
        </li>
      ))}
    </ul>
  );
}

function RoleDialog({
  projectId,
  role,
  onClose,
}: {
  projectId: string;
  role: Role | 'new' | null;
  onClose: () => void;
}) {
  const isNew = role === 'new';
  return (
    <Dialog
      open={role !== null}
      onOpenChange={(o) => !o && onClose()}
      title={isNew ? 'New role' : 'Edit role'}
      description={
        isNew
          ? 'The name is what policies refer to; it cannot change later.'
          : 'The name cannot change, because policies refer to it.'
      }
    >
      {role !== null && (
        <RoleForm projectId={projectId} role={isNew ? null : role} onDone={onClose} />
      )}
    </Dialog>
  );
}

function RoleForm({
  projectId,
  role,
  onDone,
}: {
  projectId: string;
  role: Role | null;
  onDone: () => void;
}) {
  const [name, setName] = useState(role?.name ?? '');
  const [displayName, setDisplayName] = useState(role?.display_name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [isDefault, setIsDefault] = useState(role?.is_default ?? false);
  const create = useCreateRole(projectId);
  const update = useUpdateRole(projectId);
  const mutation = role ? update : create;
  const nameError =
    !role && name && !ROLE_NAME_PATTERN.test(name)
      ? 'Use 1-63 letters, digits, _ . : or - (no spaces or commas).'
      : undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      display_name: displayName.trim() || undefined,
      description: description.trim() || null,
      is_default: isDefault,
    };
    if (role) update.mutate({ id: role.id, ...body }, { onSuccess: onDone });
    else create.mutate({ name: name.trim(), ...body }, { onSuccess: onDone });
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      <Field id="role-name" label="Name" error={nameError} hint="e.g. editor">
        <Input
          id="role-name"
          value={name}
          disabled={Boolean(role)}
          autoFocus={!role}
          aria-invalid={Boolean(nameError)}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <Field id="role-display-name" label="Display name" hint="Defaults to the name">
        <Input
          id="role-display-name"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
      </Field>
      <Field
        id="role-description"
        label="Description"
        hint="What the role is for. It grants nothing until a policy names it in allowed roles."
      >
        <Textarea
          id="role-description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <SwitchRow
        id="role-default"
        label="Default role"
        hint="Given to every new app user. Only one role can be the default."
        checked={isDefault}
        onCheckedChange={setIsDefault}
      />
      <ProblemAlert error={mutation.error} />
      <DialogFooter>
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button
          type="submit"
          loading={mutation.isPending}
          disabled={!role && (!name.trim() || Boolean(nameError))}
        >
          {role ? 'Save role' : 'Create role'}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function RolesSkeleton() {
  return (
    <PageSkeleton label="Loading roles" titleWidth="w-32">
      <Skeleton className="h-64 rounded-xl" />
    </PageSkeleton>
  );
}
