import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AdminAuthGuard } from '../../common/auth/admin-auth.guard';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { RateLimitGuard } from '../../common/http/rate-limit.guard';
import { AdminLoginAccountLimitGuard } from './admin-login-rate-limit.guard';
import { AuthService, type ClientInfo } from './auth.service';
import {
  EmailTokenDto,
  LoginDto,
  MeResponseDto,
  MessageResponseDto,
  VerifyEmailResponseDto,
  RefreshDto,
  RegisterDto,
  TokenPairResponseDto,
} from './dto/auth.dto';

const clientInfo = (req: FastifyRequest): ClientInfo => ({
  userAgent: (req.headers['user-agent'] ?? '').slice(0, 512) || null,
  ip: req.ip ?? null,
});

@ApiTags('admin auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/register')
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiCreatedResponse({
    type: TokenPairResponseDto,
    description: 'Also mails a verification link (token=) to the address',
  })
  register(@Body() dto: RegisterDto, @Req() req: FastifyRequest): Promise<TokenPairResponseDto> {
    return this.auth.register(dto.email, dto.password, clientInfo(req));
  }

  @Post('auth/login')
  @HttpCode(200)
  @UseGuards(RateLimitGuard, AdminLoginAccountLimitGuard)
  @Throttle({ default: { limit: 30, ttl: 60_000 } })
  @ApiOkResponse({
    type: TokenPairResponseDto,
    description: 'Limited per IP (30/min) and per account (10 per 15 min)',
  })
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<TokenPairResponseDto> {
    return this.auth.login(dto.email, dto.password, clientInfo(req));
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @Throttle({ default: { limit: 60, ttl: 60_000 } })
  @ApiOkResponse({ type: TokenPairResponseDto })
  refresh(@Body() dto: RefreshDto, @Req() req: FastifyRequest): Promise<TokenPairResponseDto> {
    return this.auth.refresh(dto.refresh_token, clientInfo(req));
  }

  @Post('auth/logout')
  @HttpCode(204)
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(dto.refresh_token);
  }

  @Post('auth/verify-email')
  @HttpCode(200)
  @UseGuards(AdminAuthGuard, RateLimitGuard)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiBearerAuth()
  @ApiOkResponse({ type: VerifyEmailResponseDto })
  verifyEmail(
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: EmailTokenDto,
  ): Promise<VerifyEmailResponseDto> {
    return this.auth.verifyEmail(admin.userId, dto.token);
  }

  @Post('auth/verify-email/resend')
  @HttpCode(200)
  @UseGuards(AdminAuthGuard, RateLimitGuard)
  @Throttle({ default: { limit: 3, ttl: 5 * 60_000 } })
  @ApiBearerAuth()
  @ApiOkResponse({ type: MessageResponseDto })
  resendVerification(@CurrentAdmin() admin: AdminPrincipal): Promise<MessageResponseDto> {
    return this.auth.resendVerification(admin.userId);
  }

  @Get('auth/me')
  @UseGuards(AdminAuthGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeResponseDto })
  authMe(@CurrentAdmin() admin: AdminPrincipal): Promise<MeResponseDto> {
    return this.auth.me(admin.userId);
  }

  @Get('me')
  @UseGuards(AdminAuthGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentAdmin() admin: AdminPrincipal): Promise<MeResponseDto> {
    return this.auth.me(admin.userId);
  }
}
