import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AdminJwtStrategy } from '../../common/auth/admin-jwt.strategy';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MailModule } from '../mail/mail.module';
import { AdminLoginAccountLimitGuard } from './admin-login-rate-limit.guard';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';

@Module({
  imports: [
    PassportModule,
    MailModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AuthRepository, AdminJwtStrategy, AdminLoginAccountLimitGuard],
  exports: [JwtModule],
})
export class AuthModule {}
