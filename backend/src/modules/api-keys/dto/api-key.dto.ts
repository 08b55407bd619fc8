import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Mobile app', minLength: 1, maxLength: 100 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({
    description: 'ISO 8601 time after which the key stops working',
    nullable: true,
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expires_at must be an ISO 8601 date-time' })
  expires_at?: string | null;
}

export class ApiKeyResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'First characters of the key, to recognise it' }) prefix: string;
  @ApiProperty() revoked: boolean;
  @ApiProperty({ nullable: true, type: String }) expires_at: string | null;
  @ApiProperty({ nullable: true, type: String }) last_used_at: string | null;
  @ApiProperty() created_at: string;
}

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({ description: 'The key itself. Shown only in this response.' }) api_key: string;
}
