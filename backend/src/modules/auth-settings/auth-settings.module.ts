import { Module } from '@nestjs/common';
import { AuthSettingsController } from './auth-settings.controller';
import { AuthSettingsRepository } from './auth-settings.repository';
import { AuthSettingsService } from './auth-settings.service';
import { SecretBox } from './secret-box';

@Module({
  controllers: [AuthSettingsController],
  providers: [AuthSettingsService, AuthSettingsRepository, SecretBox],
  exports: [AuthSettingsService, SecretBox],
})
export class AuthSettingsModule {}
