import { Inject, Injectable, Logger } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { generateOpaqueToken, hashToken } from '../../common/auth/token-hash';
import { AuthSettingsService } from '../auth-settings/auth-settings.service';
import type { AuthSettings } from '../auth-settings/auth-settings.types';
import { MailService } from '../mail/mail.service';
import {
  renderOtpMail,
  renderResetMail,
  renderVerificationMail,
  type RenderedMail,
} from '../mail/mail-templates';
import { AppAuthErrors } from './app-auth.errors';
import { AppAuthRepository } from './app-auth.repository';
import { AppTokenService, type AppUserIdentity, type ClientInfo } from './app-token.service';
import { AppUserEvents } from './app-user-events';
import { AppUserHooks } from './app-user-hooks';
import { DeferredWork } from './deferred-work';
import { CatalogService } from '../catalog/catalog.service';
import { catalogLookup } from '../records/record-target';
import { RecordHooks } from '../records/record-hooks';
import { AddressProof } from './address-proof';
import { parseWritePayload } from '../records/write-payload';
import { AppUsersRepository, type AppUser, type Db } from './app-users.repository';
import type { AppUserMeDto, MessageDto, TokenPairDto } from './dto/app-auth.dto';
import { OtpHasher } from './otp-hasher';
import { ADMIN_MAIL_LABELS, type AdminMailKind, type AdminMailSent } from './admin-mail';

export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

const VERIFY_TTL_MS = 24 * 3600_000;
const RESET_TTL_MS = 3600_000;
const OTP_TTL_MS = 10 * 60_000;
const OTP_MAX_ATTEMPTS = 5;

export const RESET_SENT: MessageDto = {
  message: 'If the email exists, a reset link has been sent',
};
export const OTP_SENT: MessageDto = { message: 'If the email exists, an OTP code has been sent' };
export const VERIFY_SENT: MessageDto = { message: 'Verification email sent' };

export interface RegisterResult {
  tokens?: TokenPairDto;
  pending?: {
    message: string;
    user: { id: string; email: string; is_email_verified: boolean };
    verification_required: true;
  };
}

/** App-user auth flows (reference §4.13, with every §8 hole closed). Secrets only ever travel by mail. */
@Injectable()
export class AppAuthService {
  private readonly logger = new Logger('AppAuth');
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly settings: AuthSettingsService,
    private readonly repo: AppAuthRepository,
    private readonly users: AppUsersRepository,
    private readonly tokens: AppTokenService,
    private readonly mail: MailService,
    private readonly otp: OtpHasher,
    private readonly hooks: AppUserHooks,
    private readonly deferred: DeferredWork,
    private readonly catalog: CatalogService,
    private readonly recordHooks: RecordHooks,
    private readonly addressProof: AddressProof,
    private readonly events: AppUserEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 404 for unknown projects, then the project's settings (created lazily). */
  async context(projectId: string): Promise<{ settings: AuthSettings; projectName: string }> {
    const projectName = await this.settings.requireProject(projectId);
    return { settings: await this.settings.get(projectId), projectName };
  }

  async providers(projectId: string) {
    const { settings: s } = await this.context(projectId);
    return {
      email_password: s.enableEmailPassword,
      magic_link: s.enableMagicLink,
      otp: s.enableOtp,
      oauth_google: s.enableOauthGoogle,
      oauth_github: s.enableOauthGithub,
      oauth_oidc: s.enableOauthOidc,
      session_mode: s.sessionMode,
      allow_public_signup: s.allowPublicSignup,
    };
  }

  async register(
    projectId: string,
    email: string,
    password: string,
    client: ClientInfo,
    extra: Record<string, unknown> = {},
  ): Promise<RegisterResult> {
    const { settings: s, projectName } = await this.context(projectId);
    if (!s.enableEmailPassword) throw AppAuthErrors.emailPasswordDisabled();
    if (!s.allowPublicSignup) throw AppAuthErrors.signupClosed();
    const normalized = email.toLowerCase();
    const columns = await this.signupFields(projectId, extra);
    const hash = await argon2.hash(password, ARGON2_OPTIONS);
    const mailIds: string[] = [];
    const result = await this.repo.transaction(async (tx) => {
      if (await this.users.findByEmail(projectId, normalized, tx)) throw AppAuthErrors.emailTaken();
      const user = await this.users
        .insert(
          projectId,
          { email: normalized, passwordHash: hash, isEmailVerified: false, extra: columns },
          tx,
        )
        .catch((err: { code?: string }) => {
          throw err.code === '23505' ? AppAuthErrors.emailTaken() : err;
        });
      await this.events.auth(tx, projectId, {
        verb: 'register',
        userId: user.id,
        meta: { method: 'password' },
      });
      if (s.requireEmailVerification) {
        const id = await this.createVerification(tx, s, projectName, user, this.mailLink(s));
        if (id) mailIds.push(id);
        return {
          user,
          pending: {
            message: 'Verification email sent',
            user: { id: user.id, email: user.email, is_email_verified: false },
            verification_required: true as const,
          },
        };
      }
      return { user, tokens: await this.tokens.issue(tx, s, user.id, client) };
    });
    this.mail.dispatch(mailIds);
    await this.hooks.onSignup(projectId, result.user.id);
    await this.repo.recordLoginAttempt(projectId, normalized, true, client.ip);
    return result.tokens ? { tokens: result.tokens } : { pending: result.pending };
  }

  async login(
    projectId: string,
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<TokenPairDto> {
    const { settings: s } = await this.context(projectId);
    if (!s.enableEmailPassword) throw AppAuthErrors.emailPasswordDisabled();
    const normalized = email.toLowerCase();
    await this.assertNotLockedOut(s, normalized);
    const user = await this.users.findCredentialsByEmail(projectId, normalized);
    let ok = false;
    if (user?.passwordHash)
      ok = await argon2.verify(user.passwordHash, password).catch(() => false);
    else {
      // Verifying against a real hash keeps timing uniform for unknown and passwordless users.
      this.dummyHash ??= argon2.hash('timing-equaliser', ARGON2_OPTIONS);
      await argon2.verify(await this.dummyHash, password).catch(() => false);
    }
    await this.repo.recordLoginAttempt(projectId, normalized, ok, client.ip);
    if (!ok || !user) throw AppAuthErrors.invalidCredentials();
    if (user.isDisabled) throw AppAuthErrors.disabled();
    if (s.requireEmailVerification && !user.isEmailVerified)
      throw AppAuthErrors.verificationRequired();
    return this.repo.transaction(async (tx) => {
      const tokens = await this.tokens.issue(tx, s, user.id, client);
      await this.events.auth(tx, projectId, {
        verb: 'login',
        userId: user.id,
        meta: { method: 'password' },
      });
      return tokens;
    });
  }

  /**
   * Extra signup keys naming admin-added `_users` fields, parsed and checked like any write
   * (types, validation rules); other keys are ignored, as the original did. Returns column → value.
   */
  private async signupFields(
    projectId: string,
    extra: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const catalog = await this.catalog.project(projectId);
    const entry = catalog.byName.get('_users');
    if (!entry) return {};
    const meta = entry.meta;
    const custom = new Set(
      meta.fields
        .filter((f) => !f.isSystem && !f.isHidden && !f.isDeleted && f.type !== 'relation')
        .map((f) => f.name),
    );
    const picked = Object.fromEntries(Object.entries(extra).filter(([k]) => custom.has(k)));
    if (Object.keys(picked).length === 0) return {};
    // 'update' mode: only the given fields are checked; the system fields come from the signup itself.
    const write = parseWritePayload(meta, picked, 'update', catalogLookup(catalog));
    await this.recordHooks.beforeWrite({
      access: { projectId, principal: { kind: 'anonymous' }, ip: null, userAgent: null },
      collection: meta,
      mode: 'update',
      payload: write.byName,
    });
    return write.values;
  }

  /** 429 LOCKED_OUT once an email has too many recent failures (checked before any throttle). */
  async assertNotLockedOut(s: AuthSettings, normalizedEmail: string): Promise<void> {
    const failures = await this.repo.recentFailures(s.projectId, normalizedEmail, s.lockoutMinutes);
    if (failures.count >= s.lockoutThreshold && failures.latest) {
      const until = new Date(failures.latest).getTime() + s.lockoutMinutes * 60_000;
      throw AppAuthErrors.lockedOut(Math.max(1, Math.ceil((until - Date.now()) / 1000)));
    }
  }

  async refresh(
    projectId: string,
    refreshToken: string,
    client: ClientInfo,
  ): Promise<TokenPairDto> {
    const { settings } = await this.context(projectId);
    return this.tokens.refresh(settings, refreshToken, client);
  }

  async logout(projectId: string, refreshToken: string): Promise<void> {
    await this.settings.requireProject(projectId);
    await this.repo.transaction(async (tx) => {
      const ended = await this.tokens.logout(tx, projectId, refreshToken);
      if (ended)
        await this.events.auth(tx, projectId, {
          verb: 'logout',
          userId: ended.userId,
          meta: { scope: 'session', session_id: ended.sessionId },
        });
    });
  }

  /** Ends every session of the user, the current one included. */
  async logoutAll(who: AppUserIdentity): Promise<void> {
    await this.repo.transaction(async (tx) => {
      const sessions = await this.tokens.revokeAll(who.projectId, who.userId, null, tx);
      if (sessions > 0)
        await this.events.auth(tx, who.projectId, {
          verb: 'logout',
          userId: who.userId,
          meta: { scope: 'all', sessions },
        });
    });
  }

  /** Ends one session of the user (404 when it is not theirs or not live). */
  async revokeSession(who: AppUserIdentity, sessionId: string): Promise<void> {
    await this.repo.transaction(async (tx) => {
      await this.tokens.revokeSession(who.projectId, who.userId, sessionId, tx);
      await this.events.auth(tx, who.projectId, {
        verb: 'logout',
        userId: who.userId,
        meta: { scope: 'session', session_id: sessionId },
      });
    });
  }

  async me(who: AppUserIdentity): Promise<AppUserMeDto> {
    const user = await this.users.findById(who.projectId, who.userId);
    if (!user) throw AppAuthErrors.invalidToken();
    return {
      id: user.id,
      email: user.email,
      is_email_verified: user.isEmailVerified,
      created_at: user.createdAt.toISOString(),
    };
  }

  async changePassword(who: AppUserIdentity, current: string, next: string): Promise<void> {
    const user = await this.users.findCredentialsById(who.projectId, who.userId);
    if (!user) throw AppAuthErrors.invalidToken();
    if (!user.passwordHash) throw AppAuthErrors.noPassword();
    if (!(await argon2.verify(user.passwordHash, current).catch(() => false)))
      throw AppAuthErrors.wrongCurrentPassword();
    const hash = await argon2.hash(next, ARGON2_OPTIONS);
    await this.repo.transaction(async (tx) => {
      await this.users.update(who.projectId, who.userId, { passwordHash: hash }, tx);
      await this.tokens.revokeAll(who.projectId, who.userId, who.sessionId, tx);
      await this.repo.revokeEmailSecrets(tx, who.projectId, who.userId, [user.email]);
      await this.events.auth(tx, who.projectId, { verb: 'password_change', userId: who.userId });
    });
  }

  /** With a token: that user. Without: the given email, answered alike whether or not it exists. */
  async sendVerification(
    projectId: string,
    who: AppUserIdentity | null,
    email: string | undefined,
    redirectUri: string | undefined,
  ): Promise<MessageDto> {
    const { settings: s, projectName } = await this.context(projectId);
    const link = this.mailLink(s, redirectUri);
    if (!who && !email) throw AppAuthErrors.notAuthenticated();
    if (!who) {
      this.deferred.run('verify/send', async () => {
        const user = await this.users.findByEmail(projectId, email!.toLowerCase());
        if (!user || user.isEmailVerified || user.isDisabled) return;
        await this.mailVerification(s, projectName, user, link);
      });
      return VERIFY_SENT;
    }
    const user = await this.users.findById(projectId, who.userId);
    if (!user) throw AppAuthErrors.invalidToken();
    if (user.isEmailVerified) throw AppAuthErrors.alreadyVerified();
    if (!user.isDisabled) await this.mailVerification(s, projectName, user, link);
    return VERIFY_SENT;
  }

  private async mailVerification(
    s: AuthSettings,
    projectName: string,
    user: AppUser,
    link: string,
  ): Promise<void> {
    const id = await this.repo.transaction((tx) =>
      this.createVerification(tx, s, projectName, user, link),
    );
    if (id) this.mail.dispatch([id]);
  }

  async confirmVerification(
    projectId: string,
    token: string,
  ): Promise<{ message: string; email: string }> {
    await this.settings.requireProject(projectId);
    const outcome = await this.repo.transaction(async (tx) => {
      const row = await this.repo.findEmailTokenForUpdate(
        tx,
        projectId,
        hashToken(token),
        'verify_email',
      );
      if (!row || row.used_at) return { error: AppAuthErrors.badVerifyToken() };
      if (new Date(row.expires_at).getTime() <= Date.now())
        return { error: AppAuthErrors.verifyTokenExpired() };
      await this.repo.useEmailToken(tx, row.id);
      const user = await this.users.update(
        projectId,
        row.app_user_id,
        { isEmailVerified: true },
        tx,
      );
      if (!user) return { error: AppAuthErrors.badVerifyToken() };
      await this.events.auth(tx, projectId, { verb: 'email_verify', userId: user.id });
      return { email: user.email };
    });
    if ('error' in outcome) throw outcome.error;
    return { message: 'Email verified successfully', email: outcome.email };
  }

  /** Answers before looking the address up; the lookup, token and mail happen afterwards. */
  async sendReset(
    projectId: string,
    email: string,
    redirectUri: string | undefined,
  ): Promise<MessageDto> {
    const { settings: s, projectName } = await this.context(projectId);
    const link = this.mailLink(s, redirectUri);
    this.deferred.run('password/reset/send', async () => {
      const user = await this.users.findByEmail(projectId, email.toLowerCase());
      if (!user || user.isDisabled || !s.enableEmailPassword) return;
      await this.mailReset(s, projectName, user, link, 'anonymous');
    });
    return RESET_SENT;
  }

  /** Sets the new password, proves the address, and ends every session. */
  async confirmReset(projectId: string, token: string, newPassword: string): Promise<MessageDto> {
    await this.settings.requireProject(projectId);
    const hash = await argon2.hash(newPassword, ARGON2_OPTIONS);
    const outcome = await this.repo.transaction(async (tx) => {
      const row = await this.repo.findEmailTokenForUpdate(
        tx,
        projectId,
        hashToken(token),
        'reset_password',
      );
      if (!row || row.used_at) return { error: AppAuthErrors.badResetToken() };
      if (new Date(row.expires_at).getTime() <= Date.now())
        return { error: AppAuthErrors.resetTokenExpired() };
      await this.repo.useEmailToken(tx, row.id);
      const user = await this.users.update(
        projectId,
        row.app_user_id,
        { passwordHash: hash, isEmailVerified: true },
        tx,
      );
      if (!user) return { error: AppAuthErrors.badResetToken() };
      await this.tokens.revokeAll(projectId, user.id, null, tx);
      await this.repo.revokeEmailSecrets(tx, projectId, user.id, [user.email]);
      await this.events.auth(tx, projectId, { verb: 'password_reset', userId: user.id });
      return { ok: true };
    });
    if ('error' in outcome) throw outcome.error;
    return { message: 'Password reset successfully' };
  }

  /**
   * Mails a code (and a magic link when enabled). Unknown addresses get mail only when signup is
   * open, and no user exists until the code or link is verified.
   */
  async sendOtp(
    projectId: string,
    email: string,
    redirectUri: string | undefined,
  ): Promise<MessageDto> {
    const { settings: s, projectName } = await this.context(projectId);
    if (!s.enableOtp && !s.enableMagicLink) throw AppAuthErrors.otpDisabled();
    const link = this.mailLink(s, redirectUri);
    const normalized = email.toLowerCase();
    // Answered before the lookup, so existing and unknown addresses take the same time.
    this.deferred.run('otp/send', async () => {
      const user = await this.users.findByEmail(projectId, normalized);
      if (user ? user.isDisabled : !s.allowPublicSignup) return;
      await this.mailOtp(s, projectName, normalized, user, link, 'anonymous');
    });
    return OTP_SENT;
  }

  /**
   * An admin mails one app user a password-reset link, a sign-in (magic) link or a verification
   * link from the App Users page. Unlike the public routes it says when the mail cannot go.
   */
  async adminSend(projectId: string, user: AppUser, kind: AdminMailKind): Promise<AdminMailSent> {
    const { settings: s, projectName } = await this.context(projectId);
    if (user.isDisabled) throw AppAuthErrors.disabled();
    const link = this.mailLink(s);
    if (kind === 'password_reset') {
      if (!s.enableEmailPassword) throw AppAuthErrors.emailPasswordDisabled();
      await this.mailReset(s, projectName, user, link, 'request');
    } else if (kind === 'magic_link') {
      if (!s.enableMagicLink) throw AppAuthErrors.magicLinkDisabled();
      await this.mailOtp(s, projectName, user.email, user, link, 'request');
    } else {
      if (user.isEmailVerified) throw AppAuthErrors.alreadyVerified();
      await this.mailVerification(s, projectName, user, link);
    }
    return {
      sent: kind,
      to: user.email,
      message: `${ADMIN_MAIL_LABELS[kind]} sent to ${user.email}`,
    };
  }

  private async mailReset(
    s: AuthSettings,
    projectName: string,
    user: AppUser,
    link: string,
    by: 'anonymous' | 'request',
  ): Promise<void> {
    const token = generateOpaqueToken();
    const id = await this.repo.transaction(async (tx) => {
      await this.repo.replaceEmailToken(tx, {
        projectId: s.projectId,
        userId: user.id,
        tokenHash: hashToken(token),
        purpose: 'reset_password',
        expiresAt: new Date(Date.now() + RESET_TTL_MS),
      });
      await this.events.auth(tx, s.projectId, {
        verb: 'password_reset_request',
        userId: user.id,
        by,
      });
      return this.enqueue(
        tx,
        s.projectId,
        user.email,
        'reset_password',
        renderResetMail(projectName, token, link),
      );
    });
    if (id) this.mail.dispatch([id]);
  }

  private async mailOtp(
    s: AuthSettings,
    projectName: string,
    normalized: string,
    user: AppUser | null,
    link: string,
    by: 'anonymous' | 'request',
  ): Promise<void> {
    const code = this.otp.generateCode();
    const magic = s.enableMagicLink ? generateOpaqueToken() : null;
    const id = await this.repo.transaction(async (tx) => {
      await this.repo.replaceOtp(tx, {
        projectId: s.projectId,
        email: normalized,
        codeHash: this.otp.hash(s.projectId, normalized, code),
        magicTokenHash: magic ? hashToken(magic) : null,
        expiresAt: new Date(Date.now() + OTP_TTL_MS),
      });
      await this.events.auth(tx, s.projectId, {
        verb: 'otp_request',
        userId: user?.id ?? null,
        by,
        meta: {
          methods: [...(s.enableOtp ? ['otp'] : []), ...(magic ? ['magic_link'] : [])],
          // No user until the code is used: the address is all there is to name.
          ...(user ? {} : { email: normalized }),
        },
      });
      return this.enqueue(
        tx,
        s.projectId,
        normalized,
        magic ? 'magic_link' : 'otp',
        renderOtpMail(projectName, s.enableOtp ? code : null, magic, link),
      );
    });
    if (id) this.mail.dispatch([id]);
  }

  async verifyOtp(
    projectId: string,
    input: { email?: string; code?: string; token?: string },
    client: ClientInfo,
  ): Promise<TokenPairDto> {
    const { settings: s } = await this.context(projectId);
    if (!s.enableOtp && !s.enableMagicLink) throw AppAuthErrors.otpDisabled();
    const byCode = Boolean(input.email && input.code);
    if (!byCode && !input.token) throw AppAuthErrors.otpInput();
    const created: string[] = [];
    const outcome = await this.repo.transaction(async (tx) => {
      const row = byCode
        ? await this.repo.findOtpByEmailForUpdate(tx, projectId, input.email!.toLowerCase())
        : await this.repo.findOtpByMagicForUpdate(tx, projectId, hashToken(input.token!));
      if (!row) return { error: AppAuthErrors.otpNone() };
      if (row.attempts >= OTP_MAX_ATTEMPTS) {
        await this.repo.deleteOtp(tx, row.id);
        return { error: AppAuthErrors.otpTooMany() };
      }
      if (new Date(row.expires_at).getTime() <= Date.now()) {
        await this.repo.deleteOtp(tx, row.id);
        return { error: AppAuthErrors.otpExpired() };
      }
      if (byCode && !this.otp.matches(row.code_hash, projectId, row.email, input.code!)) {
        const attempts = await this.repo.bumpOtpAttempts(tx, row.id);
        if (attempts >= OTP_MAX_ATTEMPTS) await this.repo.deleteOtp(tx, row.id);
        return {
          error:
            attempts >= OTP_MAX_ATTEMPTS ? AppAuthErrors.otpTooMany() : AppAuthErrors.otpWrong(),
        };
      }
      await this.repo.deleteOtp(tx, row.id);
      let user = await this.users.findByEmail(projectId, row.email, tx);
      const proved = user ? !user.isEmailVerified : false;
      if (!user) {
        if (!s.allowPublicSignup) return { error: AppAuthErrors.signupClosed() };
        user = await this.users.insert(
          projectId,
          { email: row.email, passwordHash: null, isEmailVerified: true },
          tx,
        );
        created.push(user.id);
      } else {
        user = await this.addressProof.claim(projectId, user, tx);
      }
      if (user.isDisabled) return { error: AppAuthErrors.disabled() };
      await this.events.signIn(tx, projectId, user.id, {
        method: byCode ? 'otp' : 'magic_link',
        created: created.length > 0,
        proved,
      });
      return { tokens: await this.tokens.issue(tx, s, user.id, client) };
    });
    if ('error' in outcome) throw outcome.error;
    for (const id of created) await this.hooks.onSignup(projectId, id);
    return outcome.tokens;
  }

  /** The `redirect_uri` for mailed links must be one of the project's allowed URIs. */
  allowedLink(s: AuthSettings, redirectUri: string | undefined): string | null {
    if (!redirectUri) return null;
    if (!s.allowedRedirectUris.includes(redirectUri)) throw AppAuthErrors.redirectNotAllowed();
    return redirectUri;
  }

  /** Mailed links go to an allowed redirect_uri, else the site URL, else the first allowed URI. */
  private mailLink(s: AuthSettings, redirectUri?: string): string {
    return (
      this.allowedLink(s, redirectUri) ??
      s.siteUrl ??
      s.allowedRedirectUris[0] ??
      this.config.publicUrl
    );
  }

  private async createVerification(
    tx: Db,
    s: AuthSettings,
    projectName: string,
    user: AppUser,
    link: string | null,
  ): Promise<string | null> {
    const token = generateOpaqueToken();
    await this.repo.replaceEmailToken(tx, {
      projectId: s.projectId,
      userId: user.id,
      tokenHash: hashToken(token),
      purpose: 'verify_email',
      expiresAt: new Date(Date.now() + VERIFY_TTL_MS),
    });
    return this.enqueue(
      tx,
      s.projectId,
      user.email,
      'verify_email',
      renderVerificationMail(projectName, token, link),
    );
  }

  /**
   * Real mail (SMTP) leaves only for projects with a verified owner, so a fresh account cannot use
   * the server to mail strangers its chosen project name and links; the dev mailbox always works.
   */
  private async enqueue(
    tx: Db,
    projectId: string,
    to: string,
    kind: string,
    m: RenderedMail,
  ): Promise<string | null> {
    if (this.mail.smtpEnabled && !(await this.settings.hasVerifiedOwner(projectId))) {
      this.logger.warn(`project ${projectId} has no verified owner: ${kind} mail not sent`);
      return null;
    }
    return this.mail.enqueue(tx, {
      projectId,
      to,
      subject: m.subject,
      text: m.text,
      html: m.html,
      kind,
    });
  }
}
