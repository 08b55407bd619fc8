import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AuthSettingsModule } from '../auth-settings/auth-settings.module';
import { MailModule } from '../mail/mail.module';
import { AppAuthController } from './app-auth.controller';
import { AppAuthRepository } from './app-auth.repository';
import { AddressProof } from './address-proof';
import { AppAuthService } from './app-auth.service';
import { AppTokenService } from './app-token.service';
import { AppUserAuthGuard } from './app-user-auth.guard';
import { AppUserEvents } from './app-user-events';
import { AppUserHooks } from './app-user-hooks';
import { DeferredWork } from './deferred-work';
import { LoginLockoutGuard } from './login-lockout.guard';
import { AppUsersAdminController } from './app-users-admin.controller';
import { AppUsersAdminService } from './app-users-admin.service';
import { AppUsersRepository } from './app-users.repository';
import { OAuthService } from './oauth.service';
import { OtpHasher } from './otp-hasher';

/** App-user auth. Exports `AppTokenService.verifyAccessToken` for data routes and `AppUserAuthGuard`. */
@Module({
  imports: [AuthModule, AuthSettingsModule, MailModule],
  controllers: [AppAuthController, AppUsersAdminController],
  providers: [
    AddressProof,
    AppAuthService,
    AppTokenService,
    AppAuthRepository,
    AppUsersRepository,
    AppUsersAdminService,
    AppUserAuthGuard,
    AppUserEvents,
    AppUserHooks,
    DeferredWork,
    LoginLockoutGuard,
    OAuthService,
    OtpHasher,
  ],
  exports: [AppTokenService, AppUserAuthGuard, AppUserHooks],
})
export class AppAuthModule {}
