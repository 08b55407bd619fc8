import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class AuditEventsQueryDto {
  @ApiPropertyOptional({
    description: 'Exact action, or a prefix ending in `*` (`auth.*`, `schema.*`)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ description: 'Collection name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  collection?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  collection_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  record_id?: string;

  @ApiPropertyOptional({
    description: '`<type>:<id>` (`admin:…`, `app_user:…`, `api_key:…`) or an id',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({
    enum: ['admin', 'admin_user', 'app_user', 'api_key', 'anonymous', 'system', 'workflow'],
  })
  @IsOptional()
  @IsIn(['admin', 'admin_user', 'app_user', 'api_key', 'anonymous', 'system', 'workflow'])
  actor_type?: string;

  @ApiPropertyOptional({
    description: 'ISO date-time (inclusive); `start_date` is the original name',
  })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({
    description: 'ISO date-time (exclusive); `end_date` is the original name',
  })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  start_date?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  end_date?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of record id, data or IP' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({ description: 'Keyset paging: the `next_cursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  after?: string;

  @ApiPropertyOptional({ description: '`false` skips the total' })
  @IsOptional()
  @IsIn(['true', 'false'])
  count?: string;
}

export class AuditExportQueryDto extends AuditEventsQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'json'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'json'])
  format?: 'csv' | 'json';
}

export class AuditActorDto {
  @ApiProperty({ enum: ['admin', 'app_user', 'api_key', 'anonymous', 'system', 'workflow'] })
  type: string;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
  @ApiProperty({ nullable: true, type: String }) api_key_prefix: string | null;
}

export class AuditEventResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty({
    description: '`create|update|delete`, `auth.*`, `schema.<op_type>`, `<resource>.<verb>`',
  })
  action: string;
  @ApiProperty({ enum: ['record', 'schema', 'auth', 'admin'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) collection: string | null;
  @ApiProperty({ nullable: true, type: String }) collection_id: string | null;
  @ApiProperty({ nullable: true, type: String }) record_id: string | null;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty({ nullable: true, type: String }) actor_user_id: string | null;
  @ApiProperty({ nullable: true, type: String }) actor_api_key_id: string | null;
  @ApiProperty({ nullable: true, type: String }) actor_app_user_id: string | null;
  @ApiProperty({ nullable: true, type: Object }) record: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object }) old_record: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: [String] }) changed: string[] | null;
  @ApiProperty({ nullable: true, type: Object }) meta: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String, description: 'The original JSON-as-text field' })
  new_data_json: string | null;
  @ApiProperty({ nullable: true, type: String }) old_data_json: string | null;
  @ApiProperty({ nullable: true, type: String }) ip_address: string | null;
  @ApiProperty({ nullable: true, type: String }) user_agent: string | null;
  @ApiProperty({ nullable: true, type: String }) request_id: string | null;
  @ApiProperty() created_at: string;
}

export class AuditEventsPageDto {
  @ApiProperty({ type: [AuditEventResponseDto] }) events: AuditEventResponseDto[];
  @ApiProperty({ nullable: true, type: Number }) total: number | null;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
}

export class RecordVersionDto {
  @ApiProperty({ description: 'The change event id; pass it to …/revert' }) id: string;
  @ApiProperty({ enum: ['create', 'update', 'delete'] }) action: string;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: Object, description: 'The record after this change' })
  record: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: [String] }) changed: string[] | null;
}

export class AuditSettingsDto {
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Keep events this many days (null = forever)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36500)
  retention_days?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Keep at most this many events (null = no limit)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  max_rows?: number | null;
}
