import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { LogOut, Mail, Plus, Trash2, X } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog } from '@/components/ui/dialog';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { SwitchRow } from '@/components/ui/switch';
import { formatDateTime, formatRelative } from '@/lib/utils';
import {
  useAssignRole,
  useDeleteAppUser,
  useRevokeAppUserSessions,
  useSendAppUserMail,
  useUnassignRole,
  useUpdateAppUser,
} from '../api/app-user-mutations';
import {
  appUserQueryOptions,
  appUserRecordsQueryOptions,
  appUserRolesQueryOptions,
  appUserSessionsQueryOptions,
  availableRolesQueryOptions,
} from '../api/app-users-query';
import type { AppUser, AppUserMailKind } from '../types';

interface AppUserDetailDialogProps {
  projectId: string;
  userId: string | undefined;
  collections: string[];
  onClose: () => void;
}

export function AppUserDetailDialog({
  projectId,
  userId,
  collections,
  onClose,
}: AppUserDetailDialogProps) {
  return (
    <Dialog
      open={userId !== undefined}
      onOpenChange={(o) => !o && onClose()}
      title="App user"
      description={userId ? <code className="font-mono text-xs">{userId}</code> : undefined}
      className="sm:max-w-3xl"
    >
      {userId && (
        <UserDetail
          key={userId}
          projectId={projectId}
          userId={userId}
          collections={collections}
          onClose={onClose}
        />
      )}
    </Dialog>
  );
}

function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section aria-label={title} className="space-y-3 border-t border-border pt-4">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{title}</h3>
        {actions}
      </div>
      {children}
    </section>
  );
}

function UserDetail({
  projectId,
  userId,
  collections,
  onClose,
}: {
  projectId: string;
  userId: string;
  collections: string[];
  onClose: () => void;
}) {
  const user = useQuery(appUserQueryOptions(projectId, userId));
  const [deleting, setDeleting] = useState(false);
  const [revoking, setRevoking] = useState(false);
  const del = useDeleteAppUser(projectId);
  const revoke = useRevokeAppUserSessions(projectId);

  if (user.isError) return <ProblemAlert error={user.error} />;
  if (!user.data)
    return (
      <div className="space-y-3">
        <Skeleton className="h-9" />
        <Skeleton className="h-9" />
        <Skeleton className="h-24" />
      </div>
    );
  const u = user.data;
  return (
    <div className="space-y-5">
      <ProfileForm key={u.updated_at ?? u.created_at} projectId={projectId} user={u} />
      <MailSection projectId={projectId} user={u} />
      <RolesSection projectId={projectId} userId={u.id} />
      <SessionsSection projectId={projectId} userId={u.id} onRevokeAll={() => setRevoking(true)} />
      <RecordsSection projectId={projectId} userId={u.id} collections={collections} />
      <Section title="Danger zone">
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-destructive/30 px-4 py-3">
          <p className="text-sm text-muted-foreground">
            Deleting removes the user and signs them out everywhere. Their records stay.
          </p>
          <Button variant="destructive" onClick={() => setDeleting(true)}>
            <Trash2 aria-hidden="true" />
            Delete user
          </Button>
        </div>
      </Section>
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title="Delete app user"
        description={`${u.email} will be deleted and signed out of every session. This cannot be undone.`}
        confirmLabel="Delete user"
        pending={del.isPending}
        onConfirm={() =>
          del.mutate(u as AppUser, {
            onSuccess: () => {
              setDeleting(false);
              onClose();
            },
            onError: () => setDeleting(false),
          })
        }
      />
      <ConfirmDialog
        open={revoking}
        onOpenChange={setRevoking}
        title="Revoke all sessions"
        description={`Every refresh token of ${u.email} stops working; access tokens expire on their own shortly.`}
        confirmLabel="Revoke sessions"
        pending={revoke.isPending}
        onConfirm={() => revoke.mutate(u, { onSettled: () => setRevoking(false) })}
      />
    </div>
  );
}

const MAIL_ACTIONS: { kind: AppUserMailKind; label: string; hint: string }[] = [
  { kind: 'password_reset', label: 'Send password reset', hint: 'a link to choose a new password' },
  { kind: 'magic_link', label: 'Send magic link', hint: 'a one-time sign-in link' },
  { kind: 'verification', label: 'Send verification', hint: 'a link that confirms the address' },
];

/** Mails the user a link to the project's site URL; the Mailbox shows it while SMTP is off. */
function MailSection({ projectId, user }: { projectId: string; user: AppUser }) {
  const send = useSendAppUserMail(projectId);
  return (
    <Section title="Send an e-mail">
      <p className="text-sm text-muted-foreground">
        Links lead to the project&apos;s site URL (Authentication settings).
      </p>
      <ul className="flex flex-wrap gap-2">
        {MAIL_ACTIONS.map((a) => {
          const unavailable =
            (a.kind === 'verification' && user.is_email_verified) || user.is_disabled;
          return (
            <li key={a.kind}>
              <Button
                variant="outline"
                size="sm"
                title={
                  user.is_disabled
                    ? 'The user is disabled'
                    : a.kind === 'verification' && user.is_email_verified
                      ? 'The address is already verified'
                      : `Mails ${user.email} ${a.hint}`
                }
                disabled={unavailable || send.isPending}
                loading={send.isPending && send.variables?.kind === a.kind}
                onClick={() => send.mutate({ user, kind: a.kind })}
              >
                <Mail aria-hidden="true" />
                {a.label}
              </Button>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function ProfileForm({ projectId, user }: { projectId: string; user: AppUser }) {
  const [email, setEmail] = useState(user.email);
  const [password, setPassword] = useState('');
  const [verified, setVerified] = useState(user.is_email_verified);
  const [disabled, setDisabled] = useState(user.is_disabled);
  const update = useUpdateAppUser(projectId);
  const passwordError =
    password && password.length < 8 ? 'At least 8 characters, or leave it empty.' : undefined;
  const dirty =
    email.trim() !== user.email ||
    password !== '' ||
    verified !== user.is_email_verified ||
    disabled !== user.is_disabled;

  function submit(e: FormEvent) {
    e.preventDefault();
    update.mutate(
      {
        id: user.id,
        ...(email.trim() !== user.email ? { email: email.trim() } : {}),
        ...(password ? { password } : {}),
        ...(verified !== user.is_email_verified ? { is_email_verified: verified } : {}),
        ...(disabled !== user.is_disabled ? { is_disabled: disabled } : {}),
      },
      { onSuccess: () => setPassword('') },
    );
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Profile">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field id="user-email" label="Email">
          <Input
            id="user-email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field
          id="user-password"
          label="New password"
          error={passwordError}
          hint="Leave empty to keep the current one. Setting it signs the user out elsewhere."
        >
          <Input
            id="user-password"
            type="password"
            autoComplete="new-password"
            value={password}
            aria-invalid={Boolean(passwordError)}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
      </div>
      <div className="grid grid-cols-1 gap-x-6 sm:grid-cols-2">
        <SwitchRow
          id="user-verified"
          label="Email verified"
          checked={verified}
          onCheckedChange={setVerified}
        />
        <SwitchRow
          id="user-disabled"
          label="Disabled"
          hint="Blocks sign-in and refresh."
          checked={disabled}
          onCheckedChange={setDisabled}
        />
      </div>
      <p className="text-xs text-muted-foreground">Created {formatDateTime(user.created_at)}</p>
      <ProblemAlert error={update.error} />
      <div className="flex justify-end">
        <Button
          type="submit"
          loading={update.isPending}
          disabled={!dirty || Boolean(passwordError)}
        >
          Save changes
        </Button>
      </div>
    </form>
  );
}

function RolesSection({ projectId, userId }: { projectId: string; userId: string }) {
  const held = useQuery(appUserRolesQueryOptions(projectId, userId));
  const all = useQuery(availableRolesQueryOptions(projectId));
  const assign = useAssignRole(projectId);
  const unassign = useUnassignRole(projectId);
  const [choice, setChoice] = useState('');
  const heldIds = new Set((held.data?.roles ?? []).map((r) => r.id));
  const available = (all.data ?? []).filter((r) => !heldIds.has(r.id));

  return (
    <Section title="Roles">
      {held.isError && <ProblemAlert error={held.error} />}
      <div className="flex flex-wrap items-center gap-2" data-testid="user-roles">
        {(held.data?.roles ?? []).length === 0 && (
          <span className="text-sm text-muted-foreground">No roles.</span>
        )}
        {(held.data?.roles ?? []).map((r) => (
          <Badge key={r.id} tone="accent" className="gap-1 pr-1">
            {r.name}
            <button
              type="button"
              aria-label={`Remove role ${r.name}`}
              className="cursor-pointer rounded-full p-0.5 hover:bg-primary/15"
              onClick={() => unassign.mutate({ userId, roleId: r.id, roleName: r.name })}
            >
              <X className="size-3" aria-hidden="true" />
            </button>
          </Badge>
        ))}
      </div>
      {(all.data ?? []).length === 0 ? (
        <p className="text-xs text-muted-foreground">
          This project has no roles yet: create them on the Roles page.
        </p>
      ) : (
        <div className="flex max-w-md gap-2">
          <Select
            aria-label="Role to assign"
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
            disabled={available.length === 0}
          >
            <option value="">{available.length ? 'Choose a role…' : 'Holds every role'}</option>
            {available.map((r) => (
              <option key={r.id} value={r.id}>
                {r.display_name} ({r.name})
              </option>
            ))}
          </Select>
          <Button
            variant="outline"
            disabled={!choice}
            loading={assign.isPending}
            onClick={() => {
              const role = available.find((r) => r.id === choice);
              if (!role) return;
              assign.mutate(
                { userId, roleId: role.id, roleName: role.name },
                { onSuccess: () => setChoice('') },
              );
            }}
          >
            <Plus aria-hidden="true" />
            Assign
          </Button>
        </div>
      )}
    </Section>
  );
}

function SessionsSection({
  projectId,
  userId,
  onRevokeAll,
}: {
  projectId: string;
  userId: string;
  onRevokeAll: () => void;
}) {
  const sessions = useQuery(appUserSessionsQueryOptions(projectId, userId));
  const list = sessions.data?.sessions ?? [];
  return (
    <Section
      title={`Sessions${sessions.data ? ` (${list.length})` : ''}`}
      actions={
        <Button variant="outline" size="sm" onClick={onRevokeAll} disabled={list.length === 0}>
          <LogOut aria-hidden="true" />
          Revoke all sessions
        </Button>
      }
    >
      {sessions.isError && <ProblemAlert error={sessions.error} />}
      {list.length === 0 ? (
        <p className="text-sm text-muted-foreground">No active sessions.</p>
      ) : (
        <ul
          className="divide-y divide-border rounded-lg border border-border"
          data-testid="user-sessions"
        >
          {list.map((s) => (
            <li key={s.id} className="flex items-center justify-between gap-4 px-3 py-2 text-sm">
              <div className="min-w-0 flex-1">
                <div className="truncate">{s.user_agent ?? 'Unknown client'}</div>
                <div className="text-xs text-muted-foreground">
                  {s.ip_address ?? 'no IP'} · started {formatRelative(s.created_at)}
                </div>
              </div>
              <div className="shrink-0 text-right text-xs text-muted-foreground">
                <div>last used {formatRelative(s.last_used_at)}</div>
                <div>expires {formatDateTime(s.expires_at)}</div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function RecordsSection({
  projectId,
  userId,
  collections,
}: {
  projectId: string;
  userId: string;
  collections: string[];
}) {
  const [collection, setCollection] = useState(collections[0] ?? '');
  const records = useQuery({
    ...appUserRecordsQueryOptions(projectId, userId, collection),
    enabled: collection !== '',
  });
  if (collections.length === 0) return null;
  const rows = records.data?.records ?? [];
  const columns = rows[0]
    ? Object.keys(rows[0])
        .filter((k) => !SKIPPED_COLUMNS.includes(k))
        .slice(0, 4)
        .concat('created_at')
    : [];
  return (
    <Section
      title="Records created by this user"
      actions={
        <Select
          aria-label="Collection"
          className="h-8 max-w-48"
          value={collection}
          onChange={(e) => setCollection(e.target.value)}
        >
          {collections.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </Select>
      }
    >
      {records.isError ? (
        <ProblemAlert error={records.error} />
      ) : !records.data ? (
        <Skeleton className="h-16" />
      ) : rows.length === 0 ? (
        <p className="text-sm text-muted-foreground">No {collection} created by this user.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-border">
          <table className="w-full text-sm" aria-label={`${collection} created by this user`}>
            <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
              <tr>
                {columns.map((c) => (
                  <th key={c} className="px-3 py-2 font-medium">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr
                  key={String(r.id ?? i)}
                  className="border-t border-border"
                  data-testid="user-record"
                >
                  {columns.map((c) => (
                    <td key={c} className="max-w-xs truncate px-3 py-2">
                      {c === 'created_at' ? formatDateTime(String(r[c])) : display(r[c])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {(records.data.total ?? 0) > rows.length && (
            <p className="border-t border-border px-3 py-2 text-xs text-muted-foreground">
              Showing {rows.length} of {records.data.total}.
            </p>
          )}
        </div>
      )}
    </Section>
  );
}

const SKIPPED_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'created_by_user_id',
  'created_by_app_user_id',
];

function display(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
