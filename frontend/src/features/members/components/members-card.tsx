import { useState, type FormEvent, type ReactNode } from 'react';
import { MailPlus, Trash2, UserPlus, Users } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { errorMessage } from '@/lib/api-client';
import { PROJECT_ROLES, ROLE_DESCRIPTIONS, roleTone, type ProjectRole } from '@/lib/roles';
import { formatDate } from '@/lib/utils';
import { useAddMember, useChangeMemberRole, useRemoveMember } from '../api/member-mutations';
import { useMembers } from '../api/members-query';
import { useInvitations } from '../api/invitations-query';
import { useResendInvitation, useRevokeInvitation } from '../api/invitation-mutations';
import type { Invitation, Member } from '../types';

interface MembersCardProps {
  projectId: string;
  /** Only owners may add, change or remove members. */
  canManage: boolean;
  currentUserId?: string;
  /** Inviting needs a verified address; unverified owners see why and a way to verify. */
  emailVerified?: boolean;
  resendVerification?: ReactNode;
}

export function MembersCard({
  projectId,
  canManage,
  currentUserId,
  emailVerified = true,
  resendVerification,
}: MembersCardProps) {
  const members = useMembers(projectId);
  const changeRole = useChangeMemberRole(projectId);
  const remove = useRemoveMember(projectId);
  const [removing, setRemoving] = useState<Member | null>(null);

  return (
    <Card>
      <CardHeader
        title="Members"
        description="Console users who can work on this project, and what they may do."
      />
      {canManage && !emailVerified ? (
        <CardContent className="border-b border-border">
          <Alert tone="warning" title="Verify your e-mail address to add members">
            <span className="block">
              Open the link we mailed you when you signed up. Until then you cannot invite anyone.
            </span>
            {resendVerification && <span className="mt-2 block">{resendVerification}</span>}
          </Alert>
        </CardContent>
      ) : canManage ? (
        <AddMemberForm projectId={projectId} />
      ) : (
        <CardContent className="border-b border-border">
          <Alert tone="info">Only project owners can add, change or remove members.</Alert>
        </CardContent>
      )}
      {members.isPending ? (
        <CardContent className="grid grid-cols-1 gap-3" aria-busy="true">
          {[0, 1].map((i) => (
            <Skeleton key={i} className="h-10" />
          ))}
        </CardContent>
      ) : members.isError ? (
        <CardContent>
          <Alert tone="danger" title="Could not load members">
            {errorMessage(members.error)}
          </Alert>
        </CardContent>
      ) : members.data.length === 0 ? (
        <CardContent>
          <EmptyState icon={Users} title="No members yet" />
        </CardContent>
      ) : (
        <Table aria-label="Members">
          <THead>
            <tr>
              <TH>Email</TH>
              <TH>Role</TH>
              <TH className="hidden sm:table-cell">Added</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {members.data.map((m) => (
              <TR key={m.user_id}>
                <TD className="font-medium">
                  <span className="break-all">{m.email}</span>
                  {m.user_id === currentUserId && (
                    <Badge className="ml-2" tone="neutral">
                      You
                    </Badge>
                  )}
                </TD>
                <TD>
                  {canManage ? (
                    <>
                      <label htmlFor={`role-${m.user_id}`} className="sr-only">
                        Role for {m.email}
                      </label>
                      <Select
                        id={`role-${m.user_id}`}
                        className="h-8 w-32"
                        value={m.role}
                        disabled={changeRole.isPending}
                        onChange={(e) =>
                          changeRole.mutate({ member: m, role: e.target.value as ProjectRole })
                        }
                      >
                        {PROJECT_ROLES.map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </Select>
                    </>
                  ) : (
                    <Badge tone={roleTone(m.role)}>{m.role}</Badge>
                  )}
                </TD>
                <TD className="hidden text-muted-foreground sm:table-cell">
                  {formatDate(m.created_at)}
                </TD>
                <TD className="text-right">
                  {canManage && (
                    <Button
                      variant="ghost"
                      size="icon"
                      aria-label={`Remove ${m.email}`}
                      onClick={() => setRemoving(m)}
                    >
                      <Trash2 aria-hidden="true" />
                    </Button>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <PendingInvitations projectId={projectId} canManage={canManage} />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title="Remove member"
        description={`${removing?.email ?? ''} will lose access to this project immediately.`}
        confirmLabel="Remove member"
        pending={remove.isPending}
        onConfirm={() => {
          if (removing) remove.mutate(removing, { onSettled: () => setRemoving(null) });
        }}
      />
    </Card>
  );
}

function AddMemberForm({ projectId }: { projectId: string }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ProjectRole>('developer');
  const add = useAddMember(projectId);

  function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = email.trim();
    if (!trimmed) return;
    add.mutate({ email: trimmed, role }, { onSuccess: () => setEmail('') });
  }

  return (
    <form
      onSubmit={submit}
      className="grid grid-cols-1 gap-3 border-b border-border px-5 py-4 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
      aria-label="Add member"
    >
      <Field id="member-email" label="Email address">
        <Input
          id="member-email"
          type="email"
          required
          placeholder="teammate@company.com"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </Field>
      <Field id="member-role" label="Role">
        <Select
          id="member-role"
          value={role}
          onChange={(e) => setRole(e.target.value as ProjectRole)}
          title={ROLE_DESCRIPTIONS[role]}
        >
          {PROJECT_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </Select>
      </Field>
      <Button type="submit" loading={add.isPending} disabled={!email.trim()}>
        <UserPlus aria-hidden="true" />
        Add member
      </Button>
      <p className="text-xs text-muted-foreground sm:col-span-3">
        {ROLE_DESCRIPTIONS[role]}. Verified console users join at once; anyone else is invited by
        e-mail.
      </p>
    </form>
  );
}

function PendingInvitations({ projectId, canManage }: { projectId: string; canManage: boolean }) {
  const invitations = useInvitations(projectId);
  const resend = useResendInvitation(projectId);
  const revoke = useRevokeInvitation(projectId);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  if (!invitations.data || invitations.data.length === 0) return null;
  return (
    <div className="border-t border-border">
      <h3 className="px-5 pt-4 pb-2 text-sm font-semibold">Pending invitations</h3>
      <Table aria-label="Pending invitations">
        <THead>
          <tr>
            <TH>Email</TH>
            <TH>Role</TH>
            <TH className="hidden sm:table-cell">Expires</TH>
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          </tr>
        </THead>
        <TBody>
          {invitations.data.map((inv) => {
            const expired = Date.parse(inv.expires_at) <= Date.now();
            return (
              <TR key={inv.id}>
                <TD className="font-medium">
                  <span className="break-all">{inv.email}</span>
                  <Badge className="ml-2" tone={expired ? 'danger' : 'neutral'}>
                    {expired ? 'Expired' : 'Invited'}
                  </Badge>
                </TD>
                <TD>
                  <Badge tone={roleTone(inv.role)}>{inv.role}</Badge>
                </TD>
                <TD className="hidden text-muted-foreground sm:table-cell">
                  {formatDate(inv.expires_at)}
                </TD>
                <TD className="text-right whitespace-nowrap">
                  {canManage && (
                    <>
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Resend invitation to ${inv.email}`}
                        disabled={resend.isPending}
                        onClick={() => resend.mutate(inv)}
                      >
                        <MailPlus aria-hidden="true" />
                      </Button>
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Revoke invitation for ${inv.email}`}
                        onClick={() => setRevoking(inv)}
                      >
                        <Trash2 aria-hidden="true" />
                      </Button>
                    </>
                  )}
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title="Revoke invitation"
        description={`The link mailed to ${revoking?.email ?? ''} will stop working.`}
        confirmLabel="Revoke invitation"
        pending={revoke.isPending}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking, { onSettled: () => setRevoking(null) });
        }}
      />
    </div>
  );
}
