import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

import { trimString as trim } from '../../../common/dto/credentials.dto';

export { EmailPasswordDto, LoginDto, RefreshTokenDto } from '../../../common/dto/credentials.dto';

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(128) current_password: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8, { message: 'new_password must be at least 8 characters' })
  @MaxLength(128)
  new_password: string;
}

export class EmailDto {
  @ApiProperty({ example: 'jane@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ description: 'An allowed redirect URI; the mailed link points there' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  redirect_uri?: string;
}

export class VerifySendDto {
  @ApiPropertyOptional({ description: 'Without a bearer token: the address to (re)verify' })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  redirect_uri?: string;
}

export class TokenDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(512) token: string;
}

export class ResetConfirmDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(512) token: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8, { message: 'new_password must be at least 8 characters' })
  @MaxLength(128)
  new_password: string;
}

export class OtpVerifyDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '123456' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;

  @ApiPropertyOptional({ description: 'The magic-link token' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  token?: string;
}

export class OAuthStartQueryDto {
  @ApiProperty({ example: 'https://app.example.com/auth/callback' })
  @IsString()
  @MaxLength(2048)
  redirect_uri: string;

  @ApiPropertyOptional({ enum: ['redirect', 'json'] })
  @IsOptional()
  @IsString()
  mode?: string;
}

export class OAuthCallbackQueryDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(4096) code: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(512) state: string;
}

export class TokenPairDto {
  @ApiProperty() access_token: string;
  @ApiProperty() refresh_token: string;
  @ApiProperty({ example: 'bearer' }) token_type: 'bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expires_in: number;
}

export class AppUserMeDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() is_email_verified: boolean;
  @ApiProperty() created_at: string;
}

export class MessageDto {
  @ApiProperty() message: string;
}

export class SessionDto {
  @ApiProperty({ description: 'Session (refresh-token family) id' }) id: string;
  @ApiProperty() created_at: string;
  @ApiProperty({ nullable: true, type: String }) last_used_at: string | null;
  @ApiProperty() expires_at: string;
  @ApiProperty({ nullable: true, type: String }) ip_address: string | null;
  @ApiProperty({ nullable: true, type: String }) user_agent: string | null;
  @ApiProperty() current: boolean;
}

export class SessionListDto {
  @ApiProperty({ type: [SessionDto] }) sessions: SessionDto[];
}
