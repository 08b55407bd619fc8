import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { generateOpaqueToken, hashToken } from '../../common/auth/token-hash';
import { AppError } from '../../common/errors/app-error';
import { AuthErrors } from '../auth/auth.errors';
import type { JsonObject } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import { MailService } from '../mail/mail.service';
import { platformLink, renderInvitationMail } from '../mail/mail-templates';
import type {
  AcceptInvitationResponseDto,
  InvitationResponseDto,
  InvitedResponseDto,
  MemberResponseDto,
} from './dto/project.dto';
import type { InvitationRow } from './invitations.repository';
import { InvitationsRepository } from './invitations.repository';
import type { ProjectRole } from './membership.entity';
import { ProjectsRepository } from './projects.repository';
import { memberMeta } from './projects.service';

const INVITATION_TTL_MS = 7 * 24 * 3600_000;

const toDto = (r: InvitationRow): InvitationResponseDto => ({
  id: r.id,
  email: r.email,
  role: r.role,
  invited_by: r.invited_by,
  created_at: new Date(r.created_at).toISOString(),
  expires_at: new Date(r.expires_at).toISOString(),
});

/** What the audit log says of an invitation: never its token. */
const invitationMeta = (r: InvitationRow): JsonObject => ({
  invitation_id: r.id,
  email: r.email,
  role: r.role,
  expires_at: new Date(r.expires_at).toISOString(),
});

export const InvitationErrors = {
  invalid: () => AppError.badRequest('Invalid or expired invitation'),
  expired: () =>
    AppError.badRequest('This invitation has expired; ask the project owner to resend it'),
  otherAddress: () =>
    AppError.forbidden(
      'This invitation was sent to another address: sign in with the invited address to accept it',
    ),
  alreadyMember: () => AppError.conflict('User is already a member of this project'),
};

/**
 * Adding members (DESIGN §8 Projects): a verified admin joins at once; any other address gets an
 * invitation that only the owner of the mailbox can accept, so nobody joins by squatting an address.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly repo: InvitationsRepository,
    private readonly mail: MailService,
    private readonly changeLog: ChangeLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async addOrInvite(
    projectId: string,
    inviterId: string,
    email: string,
    role: ProjectRole,
  ): Promise<{ member: MemberResponseDto } | { invited: InvitedResponseDto }> {
    const inviter = await this.projects.findAdminById(inviterId);
    if (!inviter?.emailVerifiedAt) throw AuthErrors.senderUnverified();
    const user = await this.projects.findAdminByEmail(email);
    if (user && (await this.projects.findMembership(projectId, user.id)))
      throw InvitationErrors.alreadyMember();
    if (user?.emailVerifiedAt) {
      try {
        await this.repo.transaction(async (m, client) => {
          await this.projects.insertMembership(m, projectId, user.id, role);
          await this.repo.deletePendingFor(m, projectId, user.email);
          const meta = memberMeta(user.id, user.email, role);
          await this.changeLog.appendAdmin(client, projectId, 'member.add', meta);
        });
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw InvitationErrors.alreadyMember();
        throw err;
      }
      const row = (await this.projects.listMembers(projectId)).find((x) => x.userId === user.id);
      if (!row) throw AppError.notFound('Member');
      return {
        member: {
          user_id: row.userId,
          email: row.email,
          role: row.role,
          created_at: row.createdAt.toISOString(),
        },
      };
    }
    const address = (user?.email ?? email).toLowerCase();
    const invitation = await this.send(
      projectId,
      inviter.email,
      'invitation.create',
      (m, tokenHash, expiresAt) =>
        this.repo.upsert(m, {
          projectId,
          email: address,
          role,
          tokenHash,
          invitedBy: inviterId,
          expiresAt,
        }),
    );
    return {
      invited: {
        invited: true,
        email: invitation.email,
        role: invitation.role,
        expires_at: new Date(invitation.expires_at).toISOString(),
      },
    };
  }

  async list(projectId: string): Promise<InvitationResponseDto[]> {
    return (await this.repo.listPending(projectId)).map(toDto);
  }

  /** A new token and expiry, mailed again; the old link stops working. */
  async resend(projectId: string, inviterId: string, id: string): Promise<InvitationResponseDto> {
    const inviter = await this.projects.findAdminById(inviterId);
    if (!inviter?.emailVerifiedAt) throw AuthErrors.senderUnverified();
    return toDto(
      await this.send(
        projectId,
        inviter.email,
        'invitation.resend',
        async (m, tokenHash, expiresAt) => {
          const row = await this.repo.findPending(m, projectId, id);
          if (!row) throw AppError.notFound('Invitation');
          return this.repo.renew(m, row.id, tokenHash, inviterId, expiresAt);
        },
      ),
    );
  }

  async revoke(projectId: string, id: string): Promise<void> {
    await this.repo.transaction(async (m, client) => {
      const row = await this.repo.delete(m, projectId, id);
      if (!row) throw AppError.notFound('Invitation');
      await this.changeLog.appendAdmin(client, projectId, 'invitation.revoke', invitationMeta(row));
    });
  }

  /** Accepting proves the address: only the signed-in admin of the invited address may. */
  async accept(userId: string, token: string): Promise<AcceptInvitationResponseDto> {
    const user = await this.projects.findAdminById(userId);
    if (!user) throw AppError.unauthenticated('User not found');
    const outcome = await this.repo.transaction(async (m, client) => {
      const row = await this.repo.findByTokenForUpdate(m, hashToken(token));
      if (!row || row.accepted_at) return { error: InvitationErrors.invalid() };
      if (new Date(row.expires_at).getTime() <= Date.now())
        return { error: InvitationErrors.expired() };
      if (row.email.toLowerCase() !== user.email.toLowerCase())
        return { error: InvitationErrors.otherAddress() };
      await this.repo.markAccepted(m, row.id);
      await this.repo.markAdminVerified(m, user.id);
      const role = await this.repo.join(m, row.project_id, user.id, row.role);
      await this.changeLog.appendAdmin(client, row.project_id, 'invitation.accept', {
        ...invitationMeta(row),
        user_id: user.id,
        role,
      });
      return { result: { project_id: row.project_id, role } };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  private async send(
    projectId: string,
    inviterEmail: string,
    action: 'invitation.create' | 'invitation.resend',
    write: (
      m: Parameters<Parameters<InvitationsRepository['transaction']>[0]>[0],
      tokenHash: string,
      expiresAt: Date,
    ) => Promise<InvitationRow>,
  ): Promise<InvitationRow> {
    const project = await this.projects.findProject(projectId);
    if (!project) throw AppError.notFound('Project');
    const token = generateOpaqueToken();
    const { row, mailId } = await this.repo.transaction(async (m, pg) => {
      const row = await write(m, hashToken(token), new Date(Date.now() + INVITATION_TTL_MS));
      await this.changeLog.appendAdmin(pg, projectId, action, invitationMeta(row));
      const mail = renderInvitationMail(
        project.name,
        inviterEmail,
        row.role,
        platformLink(this.config.publicUrl, '/accept-invitation', token),
      );
      const mailId = await this.mail.enqueue(pg, {
        projectId: null,
        to: row.email,
        kind: 'project_invitation',
        ...mail,
      });
      return { row, mailId };
    });
    this.mail.dispatch([mailId]);
    return row;
  }
}
