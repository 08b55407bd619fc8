import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class OAuthProviderUpdateDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(512) client_id?:
    string | null;
  @ApiPropertyOptional({ description: 'Write-only; null clears it' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  client_secret?: string | null;
}

export class OidcProviderUpdateDto extends OAuthProviderUpdateDto {
  @ApiPropertyOptional({ example: 'https://accounts.example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  issuer?: string | null;
}

export class OAuthProvidersUpdateDto {
  @ApiPropertyOptional({ type: OAuthProviderUpdateDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OAuthProviderUpdateDto)
  google?: OAuthProviderUpdateDto;

  @ApiPropertyOptional({ type: OAuthProviderUpdateDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OAuthProviderUpdateDto)
  github?: OAuthProviderUpdateDto;

  @ApiPropertyOptional({ type: OidcProviderUpdateDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OidcProviderUpdateDto)
  oidc?: OidcProviderUpdateDto;
}

/** Partial update; absent or null fields keep their value (as the original). */
export class UpdateAuthSettingsDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enable_email_password?: boolean | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enable_magic_link?: boolean | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enable_otp?: boolean | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enable_oauth_google?: boolean | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enable_oauth_github?: boolean | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enable_oauth_oidc?: boolean | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 1440 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  access_ttl_minutes?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  refresh_ttl_days?: number | null;

  @ApiPropertyOptional({ enum: ['header', 'cookie'] })
  @IsOptional()
  @IsIn(['header', 'cookie'])
  session_mode?: 'header' | 'cookie' | null;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() allow_public_signup?: boolean | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() require_email_verification?: boolean | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  lockout_threshold?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 1440 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  lockout_minutes?: number | null;

  @ApiPropertyOptional({ type: OAuthProvidersUpdateDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OAuthProvidersUpdateDto)
  oauth_providers?: OAuthProvidersUpdateDto | null;

  @ApiPropertyOptional({ type: [String], example: ['https://app.example.com/auth/callback'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  allowed_redirect_uris?: string[] | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'https://app.example.com/auth/callback',
    description:
      'Where mailed links (magic link, verification, reset) point unless a redirect_uri is given',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  site_url?: string | null;
}

export class OAuthProviderOutDto {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) client_id: string | null;
  @ApiProperty({ description: 'The secret itself is never returned' }) client_secret_set: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) issuer?: string | null;
}

export class OAuthProvidersOutDto {
  @ApiProperty({ type: OAuthProviderOutDto }) google: OAuthProviderOutDto;
  @ApiProperty({ type: OAuthProviderOutDto }) github: OAuthProviderOutDto;
  @ApiProperty({ type: OAuthProviderOutDto }) oidc: OAuthProviderOutDto;
}

export class AuthSettingsResponseDto {
  @ApiProperty() enable_email_password: boolean;
  @ApiProperty() enable_magic_link: boolean;
  @ApiProperty() enable_otp: boolean;
  @ApiProperty() enable_oauth_google: boolean;
  @ApiProperty() enable_oauth_github: boolean;
  @ApiProperty() enable_oauth_oidc: boolean;
  @ApiProperty() access_ttl_minutes: number;
  @ApiProperty() refresh_ttl_days: number;
  @ApiProperty({ enum: ['header', 'cookie'] }) session_mode: 'header' | 'cookie';
  @ApiProperty() allow_public_signup: boolean;
  @ApiProperty() require_email_verification: boolean;
  @ApiProperty() lockout_threshold: number;
  @ApiProperty() lockout_minutes: number;
  @ApiProperty({ type: OAuthProvidersOutDto }) oauth_providers: OAuthProvidersOutDto;
  @ApiProperty({ type: [String] }) allowed_redirect_uris: string[];
  @ApiProperty({ nullable: true, type: String }) site_url: string | null;
}
