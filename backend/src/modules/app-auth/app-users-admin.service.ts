import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AuthSettingsService } from '../auth-settings/auth-settings.service';
import { AppAuthErrors } from './app-auth.errors';
import { AppAuthRepository } from './app-auth.repository';
import { AppAuthService, ARGON2_OPTIONS } from './app-auth.service';
import type { AdminMailKind, AdminMailSent } from './admin-mail';
import { AppTokenService } from './app-token.service';
import { AppUserEvents } from './app-user-events';
import { AppUserHooks } from './app-user-hooks';
import { AppUsersRepository, type AppUser, type AppUserPatch } from './app-users.repository';
import type {
  AppUserDto,
  AppUserListDto,
  CreateAppUserDto,
  ListAppUsersQueryDto,
  UpdateAppUserDto,
} from './dto/app-users.dto';
import { isUuid } from '../../common/util/uuid';

export const toAppUserDto = (u: AppUser): AppUserDto => ({
  id: u.id,
  email: u.email,
  is_email_verified: u.isEmailVerified,
  is_disabled: u.isDisabled,
  created_at: u.createdAt.toISOString(),
  updated_at: u.updatedAt.toISOString(),
});

const uniqueClash = (err: { code?: string }) => {
  throw err.code === '23505' ? AppAuthErrors.emailTaken() : err;
};

/** Admin management of a project's app users (reference §2.12). */
@Injectable()
export class AppUsersAdminService {
  constructor(
    private readonly users: AppUsersRepository,
    private readonly repo: AppAuthRepository,
    private readonly tokens: AppTokenService,
    private readonly hooks: AppUserHooks,
    private readonly settings: AuthSettingsService,
    private readonly events: AppUserEvents,
    private readonly auth: AppAuthService,
  ) {}

  async list(projectId: string, q: ListAppUsersQueryDto): Promise<AppUserListDto> {
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const { users, total } = await this.users.list(
      projectId,
      q.search?.trim() || undefined,
      limit,
      offset,
    );
    return { users: users.map(toAppUserDto), total, limit, offset };
  }

  async create(projectId: string, dto: CreateAppUserDto, adminId: string): Promise<AppUserDto> {
    const hash = dto.password ? await argon2.hash(dto.password, ARGON2_OPTIONS) : null;
    if (await this.users.findByEmail(projectId, dto.email)) throw AppAuthErrors.emailTaken();
    const user = await this.repo.transaction(async (tx) => {
      const created = await this.users
        .insert(
          projectId,
          {
            email: dto.email,
            passwordHash: hash,
            isEmailVerified: dto.is_email_verified ?? false,
            isDisabled: dto.is_disabled ?? false,
            createdByUserId: adminId,
          },
          tx,
        )
        .catch(uniqueClash);
      await this.events.record(tx, projectId, 'create', created.id, null);
      return created;
    });
    await this.hooks.onSignup(projectId, user.id);
    return toAppUserDto(user);
  }

  async get(projectId: string, id: string): Promise<AppUserDto> {
    return toAppUserDto(await this.require(projectId, id));
  }

  /** Disabling, or setting a password, ends every session of the user. */
  async update(projectId: string, id: string, dto: UpdateAppUserDto): Promise<AppUserDto> {
    const before = await this.require(projectId, id);
    const patch: AppUserPatch = {};
    if (dto.email !== undefined) patch.email = dto.email;
    if (dto.password !== undefined)
      patch.passwordHash = await argon2.hash(dto.password, ARGON2_OPTIONS);
    if (dto.is_email_verified !== undefined) patch.isEmailVerified = dto.is_email_verified;
    if (dto.is_disabled !== undefined) patch.isDisabled = dto.is_disabled;
    const user = await this.repo.transaction(async (tx) => {
      if (patch.email) {
        const other = await this.users.findByEmail(projectId, patch.email, tx);
        if (other && other.id !== id) throw AppAuthErrors.emailTaken();
      }
      const old = await this.events.snapshot(tx, projectId, id, true);
      const updated = await this.users.update(projectId, id, patch, tx).catch(uniqueClash);
      if (!updated) throw AppAuthErrors.userNotFound();
      if (
        patch.isDisabled === true ||
        patch.passwordHash !== undefined ||
        patch.email !== undefined
      )
        await this.tokens.revokeAll(projectId, id, null, tx);
      // Links and codes mailed before an address or password change must not outlive it.
      if (patch.passwordHash !== undefined || patch.email !== undefined)
        await this.repo.revokeEmailSecrets(tx, projectId, id, [before.email, updated.email]);
      // The hash is hidden, so a new password shows in no changed field: the event says so.
      const meta = patch.passwordHash !== undefined ? { password_set: true } : undefined;
      await this.events.record(tx, projectId, 'update', id, old, meta);
      return updated;
    });
    return toAppUserDto(user);
  }

  async remove(projectId: string, id: string): Promise<void> {
    await this.require(projectId, id);
    await this.hooks.beforeDelete(projectId, id);
    await this.repo.transaction(async (tx) => {
      const old = await this.events.snapshot(tx, projectId, this.uuid(id), true);
      if (!old) throw AppAuthErrors.userNotFound();
      await this.repo.deleteUserArtifacts(tx, projectId, id, String(old.email));
      await this.users.delete(projectId, id, tx);
      await this.events.record(tx, projectId, 'delete', id, old);
    });
  }

  async revokeSessions(projectId: string, id: string): Promise<void> {
    await this.require(projectId, id);
    await this.repo.transaction(async (tx) => {
      const sessions = await this.tokens.revokeAll(projectId, id, null, tx);
      if (sessions > 0)
        await this.events.auth(tx, projectId, {
          verb: 'sessions_revoke',
          userId: id,
          meta: { sessions },
          by: 'request',
        });
    });
  }

  /** Mails the user a reset, sign-in or verification link through the project's mail. */
  async sendMail(projectId: string, id: string, kind: AdminMailKind): Promise<AdminMailSent> {
    return this.auth.adminSend(projectId, await this.require(projectId, id), kind);
  }

  async sessions(projectId: string, id: string) {
    await this.require(projectId, id);
    return this.tokens.listSessions(projectId, id, null);
  }

  private async require(projectId: string, id: string): Promise<AppUser> {
    await this.settings.requireProject(projectId);
    const user = await this.users.findById(projectId, this.uuid(id));
    if (!user) throw AppAuthErrors.userNotFound();
    return user;
  }

  private uuid(id: string): string {
    if (!isUuid(id)) throw AppAuthErrors.userNotFound();
    return id;
  }
}
