import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { EVENT_PATTERN } from '../webhook-events';

const EVENTS_DOC =
  '`*`, a family (`record.*`, `collection.*`, `field.*`, `auth.*`) or names such as `record.created`';

export class CreateWebhookDto {
  @ApiProperty({ maxLength: 127 })
  @IsString()
  @MinLength(1)
  @MaxLength(127)
  name!: string;

  @ApiProperty({
    description:
      'http(s) URL; loopback, private, link-local and metadata addresses are refused unless WEBHOOK_ALLOW_PRIVATE=true',
    maxLength: 2048,
  })
  @IsString()
  @MaxLength(2048)
  @Matches(/^https?:\/\/[^\s]+$/i, { message: 'url must be an http(s) URL' })
  url!: string;

  @ApiProperty({ type: [String], description: EVENTS_DOC, example: ['record.*'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(EVENT_PATTERN, { each: true, message: 'each event must be ' + EVENTS_DOC })
  events!: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Collection names; empty or absent = every collection',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(63, { each: true })
  collections?: string[];

  @ApiPropertyOptional({
    description: 'Signing secret (≥ 16 characters); generated as `whsec_…` when absent',
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  secret?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 127 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(127)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(/^https?:\/\/[^\s]+$/i, { message: 'url must be an http(s) URL' })
  url?: string;

  @ApiPropertyOptional({ type: [String], description: EVENTS_DOC })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(EVENT_PATTERN, { each: true, message: 'each event must be ' + EVENTS_DOC })
  events?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(63, { each: true })
  collections?: string[];

  @ApiPropertyOptional({
    description:
      'false pauses deliveries; true re-enables a disabled endpoint and clears its reason',
  })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;
}

export class WebhookDto {
  @ApiProperty() id!: string;
  @ApiProperty() project_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String] }) events!: string[];
  @ApiProperty({ type: [String] }) collections!: string[];
  @ApiProperty() is_active!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Why the endpoint was disabled' })
  disabled_reason!: string | null;
  @ApiProperty({ description: 'Deliveries in a row that failed after every retry' })
  consecutive_failures!: number;
  @ApiProperty({ nullable: true, type: String }) last_delivery_at!: string | null;
  @ApiProperty({ nullable: true, enum: ['delivered', 'failed'] }) last_status!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({ description: 'Shown only in this answer' }) secret!: string;
}

export class WebhookSecretDto {
  @ApiProperty({ description: 'The new secret, shown only here' }) secret!: string;
}

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'failed'])
  status?: 'pending' | 'delivered' | 'failed';

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

export class AttemptDto {
  @ApiProperty() attempt!: number;
  @ApiProperty() at!: string;
  @ApiProperty({ nullable: true, type: Number }) status!: number | null;
  @ApiProperty() duration_ms!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: String }) response_excerpt!: string | null;
}

export class DeliveryDto {
  @ApiProperty() id!: string;
  @ApiProperty() webhook_id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The change event id (X-Webhook-Id)' })
  event_id!: string | null;
  @ApiProperty() event_type!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: Number }) response_status!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'First 4 KB of the last answer' })
  response_body!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: Number }) duration_ms!: number | null;
  @ApiProperty({ nullable: true, type: String }) next_attempt_at!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) delivered_at!: string | null;
}

export class DeliveryDetailDto extends DeliveryDto {
  @ApiProperty({ type: Object, description: 'The JSON body sent' })
  payload!: Record<string, unknown>;
  @ApiProperty({ type: Object, description: 'Headers sent (signatures included)' })
  request_headers!: Record<string, string>;
  @ApiProperty({ type: [AttemptDto] }) attempt_log!: AttemptDto[];
}

export class DeliveriesPageDto {
  @ApiProperty({ type: [DeliveryDto] }) deliveries!: DeliveryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class ReplayDto {
  @ApiProperty({ description: 'ISO date-time, inclusive' })
  @IsISO8601()
  from!: string;

  @ApiProperty({ description: 'ISO date-time, exclusive' })
  @IsISO8601()
  to!: string;
}

export class ReplayResultDto {
  @ApiProperty({ description: 'Deliveries queued' }) queued!: number;
}

export class TestResultDto {
  @ApiProperty() delivery_id!: string;
}
