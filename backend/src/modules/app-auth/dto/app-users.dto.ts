import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ADMIN_MAIL_KINDS, type AdminMailKind } from '../admin-mail';
import { trimString as trim } from '../../../common/dto/credentials.dto';

export class ListAppUsersQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(254) search?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class CreateAppUserDto {
  @ApiProperty()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ minLength: 8, maxLength: 128 })
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(128)
  password?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_email_verified?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_disabled?: boolean;
}

export class UpdateAppUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ minLength: 8, maxLength: 128 })
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(128)
  password?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_email_verified?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_disabled?: boolean;
}

export class AppUserDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() is_email_verified: boolean;
  @ApiProperty() is_disabled: boolean;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class AppUserListDto {
  @ApiProperty({ type: [AppUserDto] }) users: AppUserDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class SendAppUserMailDto {
  @ApiProperty({
    enum: ADMIN_MAIL_KINDS,
    description:
      'password_reset: a reset link; magic_link: a sign-in link; verification: a verify link',
  })
  @IsIn(ADMIN_MAIL_KINDS, { message: `kind must be one of ${ADMIN_MAIL_KINDS.join(', ')}` })
  kind!: AdminMailKind;
}

export class AppUserMailSentDto {
  @ApiProperty({ enum: ADMIN_MAIL_KINDS }) sent!: AdminMailKind;
  @ApiProperty() to!: string;
  @ApiProperty() message!: string;
}
