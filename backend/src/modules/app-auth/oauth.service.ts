import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { generateOpaqueToken, hashToken } from '../../common/auth/token-hash';
import { type OutboundPolicy, UnsafeTargetError } from '../../common/net/safe-fetch';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuthSettingsService } from '../auth-settings/auth-settings.service';
import {
  OAUTH_PROVIDERS,
  type AuthSettings,
  type OAuthClientConfig,
  type OAuthProviderName,
} from '../auth-settings/auth-settings.types';
import { SecretBox } from '../auth-settings/secret-box';
import { AppAuthErrors } from './app-auth.errors';
import { AppAuthRepository } from './app-auth.repository';
import { AddressProof } from './address-proof';
import { AppTokenService, type ClientInfo } from './app-token.service';
import { AppUserEvents } from './app-user-events';
import { AppUserHooks } from './app-user-hooks';
import { AppUsersRepository } from './app-users.repository';
import type { TokenPairDto } from './dto/app-auth.dto';
import {
  exchangeCode,
  PROVIDER_LABEL,
  ProviderError,
  resolveEndpoints,
  type ProviderIdentity,
} from './oauth-providers';

const STATE_TTL_MS = 10 * 60_000;

/** OAuth2 authorization code + PKCE. The identity comes from the provider, never from the client. */
@Injectable()
export class OAuthService {
  private readonly logger = new Logger('OAuth');
  private readonly net: OutboundPolicy;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly settings: AuthSettingsService,
    private readonly repo: AppAuthRepository,
    private readonly users: AppUsersRepository,
    private readonly tokens: AppTokenService,
    private readonly box: SecretBox,
    private readonly hooks: AppUserHooks,
    private readonly addressProof: AddressProof,
    private readonly events: AppUserEvents,
  ) {
    this.net = { allowPrivate: config.webhookAllowPrivate };
  }

  /** Builds the provider's authorization URL; state (hashed) and PKCE verifier (sealed) stay here. */
  async start(
    projectId: string,
    provider: string,
    redirectUri: string,
  ): Promise<{ provider: string; auth_url: string }> {
    const { cfg, settings } = await this.client(projectId, provider);
    if (!settings.allowedRedirectUris.includes(redirectUri))
      throw AppAuthErrors.redirectNotAllowed();
    const endpoints = await resolveEndpoints(cfg, this.net).catch((err: Error) => {
      this.logger.warn(`${provider} discovery failed: ${err.message}`);
      if (err instanceof UnsafeTargetError) throw AppAuthErrors.providerUnsafe();
      throw AppAuthErrors.providerFailed();
    });
    const state = generateOpaqueToken();
    const verifier = generateOpaqueToken(48);
    const stateHash = hashToken(state);
    await this.repo.insertOAuthState({
      projectId,
      stateHash,
      provider: cfg.provider,
      redirectUri,
      verifierEnc: this.box.seal(verifier, `pkce:${stateHash}`),
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    });
    const url = new URL(endpoints.authorize);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', cfg.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', endpoints.scope);
    url.searchParams.set('state', state);
    url.searchParams.set(
      'code_challenge',
      createHash('sha256').update(verifier).digest('base64url'),
    );
    url.searchParams.set('code_challenge_method', 'S256');
    return { provider: cfg.provider, auth_url: url.toString() };
  }

  /** Verifies and consumes the state, exchanges the code server-side, then links or signs up. */
  async callback(
    projectId: string,
    provider: string,
    code: string,
    state: string,
    client: ClientInfo,
  ): Promise<TokenPairDto> {
    const { cfg, settings } = await this.client(projectId, provider);
    const stateHash = hashToken(state);
    const row = await this.repo.consumeOAuthState(projectId, stateHash);
    if (!row || row.provider !== cfg.provider || new Date(row.expires_at).getTime() <= Date.now())
      throw AppAuthErrors.badState();
    const verifier = this.box.open(row.code_verifier_enc, `pkce:${stateHash}`);
    if (!verifier) throw AppAuthErrors.badState();
    let identity: ProviderIdentity;
    try {
      identity = await exchangeCode(
        cfg,
        await resolveEndpoints(cfg, this.net),
        code,
        row.redirect_uri,
        verifier,
        this.net,
      );
    } catch (err) {
      if (!(err instanceof ProviderError) && !(err instanceof Error)) throw err;
      this.logger.warn(`${provider} code exchange failed: ${(err as Error).message}`);
      if (err instanceof UnsafeTargetError) throw AppAuthErrors.providerUnsafe();
      throw AppAuthErrors.providerFailed();
    }
    return this.signIn(settings, cfg, identity, client);
  }

  private async signIn(
    s: AuthSettings,
    cfg: OAuthClientConfig,
    identity: ProviderIdentity,
    client: ClientInfo,
  ): Promise<TokenPairDto> {
    const projectId = s.projectId;
    const created: string[] = [];
    const tokens = await this.repo.transaction(async (tx) => {
      const linked = await this.repo.findIdentity(
        tx,
        projectId,
        cfg.provider,
        identity.providerUserId,
      );
      let user = linked ? await this.users.findById(projectId, linked.app_user_id, tx) : null;
      let proved = false;
      if (!user) {
        if (!identity.email || !identity.emailVerified)
          throw AppAuthErrors.providerEmailUnverified();
        user = await this.users.findByEmail(projectId, identity.email, tx);
        proved = user ? !user.isEmailVerified : false;
        if (user) user = await this.addressProof.claim(projectId, user, tx);
        if (!user) {
          if (!s.allowPublicSignup) throw AppAuthErrors.signupClosed();
          user = await this.users.insert(
            projectId,
            { email: identity.email, passwordHash: null, isEmailVerified: true },
            tx,
          );
          created.push(user.id);
        }
        await this.repo.insertIdentity(tx, {
          projectId,
          userId: user.id,
          provider: cfg.provider,
          providerUserId: identity.providerUserId,
          email: identity.email,
        });
      }
      if (user.isDisabled) throw AppAuthErrors.disabled();
      await this.events.signIn(tx, projectId, user.id, {
        method: 'oauth',
        provider: cfg.provider,
        created: created.length > 0,
        proved,
      });
      return this.tokens.issue(tx, s, user.id, client);
    });
    for (const id of created) await this.hooks.onSignup(projectId, id);
    return tokens;
  }

  private async client(
    projectId: string,
    provider: string,
  ): Promise<{ cfg: OAuthClientConfig; settings: AuthSettings }> {
    await this.settings.requireProject(projectId);
    if (!(OAUTH_PROVIDERS as readonly string[]).includes(provider))
      throw AppAuthErrors.unknownProvider(provider);
    const name = provider as OAuthProviderName;
    const settings = await this.settings.get(projectId);
    const cfg = this.settings.clientConfig(settings, name);
    if (!cfg) throw AppAuthErrors.providerDisabled(PROVIDER_LABEL[name]);
    return { cfg, settings };
  }
}
