import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

/** Trims surrounding whitespace from string inputs before validation. */
export const trimString = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/** Signup: a valid email and a password of 8..128 characters (admins and app users alike). */
export class EmailPasswordDto {
  @ApiProperty({ example: 'jane@example.com' })
  @Transform(trimString)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(128)
  password: string;
}

/** Login: any non-empty password, so old accounts with shorter ones can still sign in. */
export class LoginDto {
  @ApiProperty({ example: 'jane@example.com' })
  @Transform(trimString)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class RefreshTokenDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  refresh_token: string;
}
