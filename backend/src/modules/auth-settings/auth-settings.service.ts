import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { updateMeta, type JsonObject } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import { AuthSettingsErrors } from './auth-settings.errors';
import { AuthSettingsRepository } from './auth-settings.repository';
import {
  CLIENT_SECRET_PURPOSE,
  OAUTH_PROVIDERS,
  type AuthSettings,
  type OAuthClientConfig,
  type OAuthProviderName,
  type StoredProviderConfig,
} from './auth-settings.types';
import type {
  AuthSettingsResponseDto,
  OAuthProviderOutDto,
  OAuthProviderUpdateDto,
  OidcProviderUpdateDto,
  UpdateAuthSettingsDto,
} from './dto/auth-settings.dto';
import { SecretBox } from './secret-box';

const ENABLE_KEY: Record<
  OAuthProviderName,
  'enableOauthGoogle' | 'enableOauthGithub' | 'enableOauthOidc'
> = {
  google: 'enableOauthGoogle',
  github: 'enableOauthGithub',
  oidc: 'enableOauthOidc',
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for https URLs, and http only on loopback (local development and tests). */
export function isSecureOrLoopbackUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname));
  } catch {
    return false;
  }
}

/** The settings as flat keys (`oauth_providers.google.client_id`), so an update names what it changed. */
function flatSettings(d: AuthSettingsResponseDto): JsonObject {
  const { oauth_providers: providers, ...rest } = d;
  const out: JsonObject = { ...rest };
  for (const [name, p] of Object.entries(providers))
    for (const [k, v] of Object.entries(p)) out[`oauth_providers.${name}.${k}`] = v;
  return out;
}

/** Per-project app-user auth settings: lazy defaults, partial updates, sealed OAuth secrets. */
@Injectable()
export class AuthSettingsService {
  constructor(
    private readonly repo: AuthSettingsRepository,
    private readonly box: SecretBox,
    private readonly changeLog: ChangeLogService,
  ) {}

  /** The project's name, or 404 exactly like the original's `Project not found`. */
  async requireProject(projectId: string): Promise<string> {
    const name = await this.repo.projectName(projectId);
    if (name === null) throw AppError.notFound('Project');
    return name;
  }

  hasVerifiedOwner(projectId: string): Promise<boolean> {
    return this.repo.hasVerifiedOwner(projectId);
  }

  get(projectId: string): Promise<AuthSettings> {
    return this.repo.getOrCreate(projectId);
  }

  async getDto(projectId: string): Promise<AuthSettingsResponseDto> {
    return this.toDto(await this.get(projectId));
  }

  async update(projectId: string, dto: UpdateAuthSettingsDto): Promise<AuthSettingsResponseDto> {
    const saved = await this.repo.transaction(async (client) => {
      const s = await this.repo.getOrCreate(projectId, client);
      const before = flatSettings(this.toDto(s));
      const set = <K extends keyof AuthSettings>(key: K, v: AuthSettings[K] | null | undefined) => {
        if (v !== null && v !== undefined) s[key] = v;
      };
      set('enableEmailPassword', dto.enable_email_password);
      set('enableMagicLink', dto.enable_magic_link);
      set('enableOtp', dto.enable_otp);
      set('enableOauthGoogle', dto.enable_oauth_google);
      set('enableOauthGithub', dto.enable_oauth_github);
      set('enableOauthOidc', dto.enable_oauth_oidc);
      set('accessTtlMinutes', dto.access_ttl_minutes);
      set('refreshTtlDays', dto.refresh_ttl_days);
      set('sessionMode', dto.session_mode);
      set('allowPublicSignup', dto.allow_public_signup);
      set('requireEmailVerification', dto.require_email_verification);
      set('lockoutThreshold', dto.lockout_threshold);
      set('lockoutMinutes', dto.lockout_minutes);
      if (dto.allowed_redirect_uris) {
        for (const uri of dto.allowed_redirect_uris) {
          if (!isAbsoluteHttpUrl(uri)) throw AuthSettingsErrors.badRedirectUri(uri);
        }
        s.allowedRedirectUris = [...new Set(dto.allowed_redirect_uris)];
      }
      if (dto.site_url === null) s.siteUrl = null;
      else if (dto.site_url !== undefined) {
        if (!isAbsoluteHttpUrl(dto.site_url)) throw AuthSettingsErrors.badSiteUrl();
        s.siteUrl = dto.site_url;
      }
      for (const name of OAUTH_PROVIDERS) {
        const patch = dto.oauth_providers?.[name];
        if (!patch) continue;
        s.oauthProviders[name] = this.mergeProvider(
          projectId,
          name,
          s.oauthProviders[name] ?? {},
          patch,
        );
        if (patch.enabled !== null && patch.enabled !== undefined)
          s[ENABLE_KEY[name]] = patch.enabled;
      }
      for (const name of OAUTH_PROVIDERS) {
        if (!s[ENABLE_KEY[name]]) continue;
        const p = s.oauthProviders[name] ?? {};
        if (!p.client_id) throw AuthSettingsErrors.providerIncomplete(name, 'client_id');
        if (!p.client_secret_enc)
          throw AuthSettingsErrors.providerIncomplete(name, 'client_secret');
        if (name === 'oidc' && !p.issuer)
          throw AuthSettingsErrors.providerIncomplete(name, 'issuer');
      }
      await this.repo.save(client, s);
      // A replaced client secret is named, never shown (its `client_secret_set` may not change).
      const secrets = OAUTH_PROVIDERS.filter(
        (name) => dto.oauth_providers?.[name]?.client_secret !== undefined,
      ).map((name) => `oauth_providers.${name}.client_secret`);
      const change = updateMeta(before, flatSettings(this.toDto(s)), secrets);
      await this.changeLog.appendAdmin(client, projectId, 'auth_settings.update', change);
      return s;
    });
    return this.toDto(saved);
  }

  /** Decrypted client credentials of an enabled provider, or null when it is off or incomplete. */
  clientConfig(s: AuthSettings, provider: OAuthProviderName): OAuthClientConfig | null {
    if (!s[ENABLE_KEY[provider]]) return null;
    const p = s.oauthProviders[provider];
    if (!p?.client_id || !p.client_secret_enc) return null;
    const secret = this.box.open(
      p.client_secret_enc,
      `${CLIENT_SECRET_PURPOSE}:${s.projectId}:${provider}`,
    );
    if (secret === null) return null;
    if (provider === 'oidc' && !p.issuer) return null;
    return { provider, clientId: p.client_id, clientSecret: secret, issuer: p.issuer ?? null };
  }

  isProviderEnabled(s: AuthSettings, provider: OAuthProviderName): boolean {
    return s[ENABLE_KEY[provider]];
  }

  toDto(s: AuthSettings): AuthSettingsResponseDto {
    const out = (name: OAuthProviderName): OAuthProviderOutDto => {
      const p = s.oauthProviders[name] ?? {};
      const base: OAuthProviderOutDto = {
        enabled: s[ENABLE_KEY[name]],
        client_id: p.client_id ?? null,
        client_secret_set: Boolean(p.client_secret_enc),
      };
      return name === 'oidc' ? { ...base, issuer: p.issuer ?? null } : base;
    };
    return {
      enable_email_password: s.enableEmailPassword,
      enable_magic_link: s.enableMagicLink,
      enable_otp: s.enableOtp,
      enable_oauth_google: s.enableOauthGoogle,
      enable_oauth_github: s.enableOauthGithub,
      enable_oauth_oidc: s.enableOauthOidc,
      access_ttl_minutes: s.accessTtlMinutes,
      refresh_ttl_days: s.refreshTtlDays,
      session_mode: s.sessionMode,
      allow_public_signup: s.allowPublicSignup,
      require_email_verification: s.requireEmailVerification,
      lockout_threshold: s.lockoutThreshold,
      lockout_minutes: s.lockoutMinutes,
      oauth_providers: { google: out('google'), github: out('github'), oidc: out('oidc') },
      allowed_redirect_uris: s.allowedRedirectUris,
      site_url: s.siteUrl,
    };
  }

  private mergeProvider(
    projectId: string,
    name: OAuthProviderName,
    current: StoredProviderConfig,
    patch: OAuthProviderUpdateDto & Partial<OidcProviderUpdateDto>,
  ): StoredProviderConfig {
    const next: StoredProviderConfig = { ...current };
    if (patch.client_id !== undefined) next.client_id = patch.client_id;
    if (patch.client_secret === null) next.client_secret_enc = null;
    else if (patch.client_secret !== undefined)
      next.client_secret_enc = this.box.seal(
        patch.client_secret,
        `${CLIENT_SECRET_PURPOSE}:${projectId}:${name}`,
      );
    if (name === 'oidc' && patch.issuer !== undefined) {
      if (patch.issuer !== null && !isSecureOrLoopbackUrl(patch.issuer))
        throw AuthSettingsErrors.badIssuer();
      next.issuer = patch.issuer === null ? null : patch.issuer.replace(/\/+$/, '');
    }
    return next;
  }
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.hash && !value.includes('#');
  } catch {
    return false;
  }
}
