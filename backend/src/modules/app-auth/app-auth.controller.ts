import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  Param,
  Post,
  Query,
  Redirect,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { RateLimitGuard } from '../../common/http/rate-limit.guard';
import { ParseUuidPipe } from '../../common/pipes/parse-uuid.pipe';
import { createValidationPipe } from '../../common/pipes/validation.pipe';
import { EmailRateLimitGuard } from './app-auth-rate-limit.guard';
import { LoginLockoutGuard } from './login-lockout.guard';
import { buildAuthMeta } from './auth-meta';
import { AppAuthService } from './app-auth.service';
import { AppTokenService, type AppUserIdentity, type ClientInfo } from './app-token.service';
import { AppUserAuthGuard, bearerToken, CurrentAppUser } from './app-user-auth.guard';
import { BodyOrQuery } from './body-or-query.decorator';
import {
  AppUserMeDto,
  ChangePasswordDto,
  EmailDto,
  EmailPasswordDto,
  LoginDto,
  MessageDto,
  OAuthCallbackQueryDto,
  OAuthStartQueryDto,
  OtpVerifyDto,
  RefreshTokenDto,
  ResetConfirmDto,
  SessionListDto,
  TokenDto,
  TokenPairDto,
  VerifySendDto,
} from './dto/app-auth.dto';
import { OAuthService } from './oauth.service';

const clientInfo = (req: FastifyRequest): ClientInfo => ({
  userAgent: (req.headers['user-agent'] ?? '').slice(0, 512) || null,
  ip: req.ip ?? null,
});

const MINUTE = 60_000;
/** Register keeps the original's leniency: unknown keys are not an error. */
const REGISTER_PIPE = createValidationPipe({ forbidUnknown: false });

/** App-user (end-user) auth for one project (reference §2.11). Tokens and codes travel only by mail. */
@ApiTags('app-user auth')
@Controller('projects/:projectId/auth')
export class AppAuthController {
  constructor(
    private readonly auth: AppAuthService,
    private readonly tokens: AppTokenService,
    private readonly oauth: OAuthService,
  ) {}

  @Get('providers')
  @ApiOperation({ summary: 'Which sign-in methods the project offers' })
  providers(@Param('projectId', ParseUuidPipe) projectId: string) {
    return this.auth.providers(projectId);
  }

  @Get('meta')
  @ApiOperation({
    summary: "Self-documentation of this project's app-user auth (endpoints, examples)",
  })
  async meta(@Param('projectId', ParseUuidPipe) projectId: string, @Req() req: FastifyRequest) {
    const { settings, projectName } = await this.auth.context(projectId);
    return buildAuthMeta(
      projectId,
      projectName,
      settings,
      `${req.protocol}://${req.headers.host ?? req.hostname}`,
    );
  }

  @Post('register')
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 3, ttl: MINUTE } })
  @ApiCreatedResponse({
    type: TokenPairDto,
    description: 'Or {message, user, verification_required} when verification is required',
  })
  @ApiBody({
    type: EmailPasswordDto,
    description:
      'Extra keys naming admin-added _users fields are stored (validated like any write); other keys are ignored',
  })
  async register(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Body() body: Record<string, unknown>,
    @Req() req: FastifyRequest,
  ) {
    const dto = (await REGISTER_PIPE.transform(body, {
      type: 'body',
      metatype: EmailPasswordDto,
    })) as EmailPasswordDto;
    const { email: _e, password: _p, ...extra } = body ?? {};
    const r = await this.auth.register(projectId, dto.email, dto.password, clientInfo(req), extra);
    return r.tokens ?? r.pending;
  }

  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginLockoutGuard, RateLimitGuard, EmailRateLimitGuard)
  @Throttle({ default: { limit: 5, ttl: MINUTE } })
  @ApiOkResponse({
    type: TokenPairDto,
    description: '429 LOCKED_OUT (Retry-After) after repeated failures for the email',
  })
  login(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Body() dto: LoginDto,
    @Req() req: FastifyRequest,
  ): Promise<TokenPairDto> {
    return this.auth.login(projectId, dto.email, dto.password, clientInfo(req));
  }

  @Post('refresh')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 30, ttl: MINUTE } })
  @ApiOkResponse({ type: TokenPairDto })
  refresh(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Body() dto: RefreshTokenDto,
    @Req() req: FastifyRequest,
  ): Promise<TokenPairDto> {
    return this.auth.refresh(projectId, dto.refresh_token, clientInfo(req));
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 30, ttl: MINUTE } })
  @ApiNoContentResponse({ description: 'Ends the session of this refresh token' })
  async logout(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Body() dto: RefreshTokenDto,
  ): Promise<void> {
    await this.auth.logout(projectId, dto.refresh_token);
  }

  @Post('logout/all')
  @HttpCode(204)
  @UseGuards(AppUserAuthGuard)
  @ApiBearerAuth()
  @ApiNoContentResponse()
  async logoutAll(@CurrentAppUser() who: AppUserIdentity): Promise<void> {
    await this.auth.logoutAll(who);
  }

  @Get('me')
  @UseGuards(AppUserAuthGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: AppUserMeDto })
  me(@CurrentAppUser() who: AppUserIdentity): Promise<AppUserMeDto> {
    return this.auth.me(who);
  }

  @Get('sessions')
  @UseGuards(AppUserAuthGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: SessionListDto })
  sessions(@CurrentAppUser() who: AppUserIdentity): Promise<SessionListDto> {
    return this.tokens.listSessions(who.projectId, who.userId, who.sessionId);
  }

  @Delete('sessions/:sessionId')
  @HttpCode(204)
  @UseGuards(AppUserAuthGuard)
  @ApiBearerAuth()
  @ApiNoContentResponse()
  async revokeSession(
    @CurrentAppUser() who: AppUserIdentity,
    @Param('sessionId') sessionId: string,
  ): Promise<void> {
    await this.auth.revokeSession(who, sessionId.toLowerCase());
  }

  @Post('password/change')
  @HttpCode(204)
  @UseGuards(AppUserAuthGuard, RateLimitGuard)
  @Throttle({ default: { limit: 10, ttl: MINUTE } })
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Other sessions are revoked' })
  async changePassword(
    @CurrentAppUser() who: AppUserIdentity,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(who, dto.current_password, dto.new_password);
  }

  @Post('verify/send')
  @HttpCode(200)
  @UseGuards(RateLimitGuard, EmailRateLimitGuard)
  @Throttle({ default: { limit: 3, ttl: 5 * MINUTE } })
  @ApiBearerAuth()
  @ApiOkResponse({ type: MessageDto, description: 'With a bearer token, or {email} without one' })
  async sendVerification(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @BodyOrQuery() dto: VerifySendDto,
    @Req() req: FastifyRequest,
  ): Promise<MessageDto> {
    const token = bearerToken(req);
    let who: AppUserIdentity | null = null;
    if (token) {
      who = await this.tokens.verifyAccessToken(projectId, token);
      if (who.disabled) return { message: 'Verification email sent' };
    }
    return this.auth.sendVerification(projectId, who, dto.email, dto.redirect_uri);
  }

  @Post('verify/confirm')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 10, ttl: MINUTE } })
  @ApiOkResponse({ description: '{message, email}' })
  confirmVerification(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @BodyOrQuery() dto: TokenDto,
  ) {
    return this.auth.confirmVerification(projectId, dto.token);
  }

  @Post('password/reset/send')
  @HttpCode(200)
  @UseGuards(RateLimitGuard, EmailRateLimitGuard)
  @Throttle({ default: { limit: 3, ttl: 5 * MINUTE } })
  @ApiOkResponse({ type: MessageDto })
  sendReset(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @BodyOrQuery() dto: EmailDto,
  ): Promise<MessageDto> {
    return this.auth.sendReset(projectId, dto.email, dto.redirect_uri);
  }

  @Post('password/reset/confirm')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 10, ttl: MINUTE } })
  @ApiOkResponse({ type: MessageDto, description: 'Every session of the user is revoked' })
  confirmReset(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @BodyOrQuery() dto: ResetConfirmDto,
  ): Promise<MessageDto> {
    return this.auth.confirmReset(projectId, dto.token, dto.new_password);
  }

  @Post('otp/send')
  @HttpCode(200)
  @UseGuards(RateLimitGuard, EmailRateLimitGuard)
  @Throttle({ default: { limit: 3, ttl: 5 * MINUTE } })
  @ApiOkResponse({
    type: MessageDto,
    description: 'Mails a 6-digit code, and a magic link when enabled',
  })
  sendOtp(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @BodyOrQuery() dto: EmailDto,
  ): Promise<MessageDto> {
    return this.auth.sendOtp(projectId, dto.email, dto.redirect_uri);
  }

  @Post('otp/verify')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 10, ttl: MINUTE } })
  @ApiOkResponse({ type: TokenPairDto, description: 'Takes {email, code} or {token} (magic link)' })
  verifyOtp(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @BodyOrQuery() dto: OtpVerifyDto,
    @Req() req: FastifyRequest,
  ): Promise<TokenPairDto> {
    return this.auth.verifyOtp(projectId, dto, clientInfo(req));
  }

  @Get('oauth/:provider/start')
  @Redirect()
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 30, ttl: MINUTE } })
  @ApiOperation({ summary: '302 to the provider (authorization code + PKCE)' })
  async oauthStart(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Param('provider') provider: string,
    @Query() q: OAuthStartQueryDto,
  ): Promise<{ url: string; statusCode: number }> {
    const { auth_url } = await this.oauth.start(projectId, provider, q.redirect_uri);
    return { url: auth_url, statusCode: 302 };
  }

  @Get('oauth/:provider/url')
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 30, ttl: MINUTE } })
  @ApiOperation({ summary: 'The provider authorization URL as JSON (for SPAs)' })
  oauthUrl(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Param('provider') provider: string,
    @Query() q: OAuthStartQueryDto,
  ): Promise<{ provider: string; auth_url: string }> {
    return this.oauth.start(projectId, provider, q.redirect_uri);
  }

  @Get('oauth/:provider/callback')
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 30, ttl: MINUTE } })
  @ApiOkResponse({ type: TokenPairDto })
  oauthCallback(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Param('provider') provider: string,
    @Query() q: OAuthCallbackQueryDto,
    @Req() req: FastifyRequest,
  ): Promise<TokenPairDto> {
    return this.oauth.callback(projectId, provider, q.code, q.state, clientInfo(req));
  }

  @Post('oauth/callback')
  @ApiGoneResponse({
    description: 'Removed: it trusted client-supplied identities (account takeover)',
  })
  legacyOAuthCallback(): never {
    throw new HttpException(
      'This endpoint was removed because it trusted client-supplied identities. Use GET /auth/oauth/{provider}/start and /callback.',
      410,
    );
  }
}
