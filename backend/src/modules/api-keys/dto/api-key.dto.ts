import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { API_KEY_KINDS, type ApiKeyKind } from '../api-key.entity';

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

  @ApiPropertyOptional({
    enum: API_KEY_KINDS,
    default: 'service',
    description:
      '`service` (default): for servers only; passes row policies and readable-field lists, like ' +
      "Supabase's service role. `public`: safe to ship in apps; the principal `api_key` under " +
      'the collections’ policies (with policies, it reaches only what they allow).',
  })
  @IsOptional()
  @IsIn(API_KEY_KINDS, { message: 'kind must be one of: service, public' })
  kind?: ApiKeyKind;
}

export class ApiKeyResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'First characters of the key, to recognise it' }) prefix: string;
  @ApiProperty({ enum: API_KEY_KINDS }) kind: ApiKeyKind;
  @ApiProperty() revoked: boolean;
  @ApiProperty({ nullable: true, type: String }) expires_at: string | null;
  @ApiProperty({ nullable: true, type: String }) last_used_at: string | null;
  @ApiProperty() created_at: string;
}

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({ description: 'The key itself. Shown only in this response.' }) api_key: string;
}
