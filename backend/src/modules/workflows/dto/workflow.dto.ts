import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { STEP_ACTIONS, TRIGGER_TYPES } from '../workflow-definition';

const TRIGGER_DOC =
  'record.*: `{collection, condition?}` (policy condition language on the record; the old record for deletes); ' +
  'schedule: `{cron (5 fields), timezone? = "UTC"}`; http: `{slug, allowed_principals? = ["admin","api_key"], async? = false}`; manual: `{}`';
const STEPS_DOC =
  `Steps run in order; each is \`{action, name?, retries? (0–10, default 3), timeout_ms?, …}\` with action one of ${STEP_ACTIONS.join(', ')}. ` +
  'Strings may hold `{{trigger.record.x}}`, `{{input.x}}`, `{{steps.N.output.x}}` (earlier steps only) and `{{env.NAME}}` templates.';

export class CreateWorkflowDto {
  @ApiProperty({ maxLength: 127 })
  @IsString()
  @MinLength(1)
  @MaxLength(127)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiProperty({ enum: TRIGGER_TYPES })
  @IsIn(TRIGGER_TYPES)
  trigger_type!: string;

  @ApiPropertyOptional({ type: Object, description: TRIGGER_DOC, default: {} })
  @IsOptional()
  @IsObject()
  trigger_config?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [Object], description: STEPS_DOC, default: [] })
  @IsOptional()
  @IsArray()
  steps?: unknown[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;
}

export class UpdateWorkflowDto {
  @ApiPropertyOptional({ maxLength: 127 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(127)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ enum: TRIGGER_TYPES })
  @IsOptional()
  @IsIn(TRIGGER_TYPES)
  trigger_type?: string;

  @ApiPropertyOptional({ type: Object, description: TRIGGER_DOC })
  @IsOptional()
  @IsObject()
  trigger_config?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [Object], description: STEPS_DOC })
  @IsOptional()
  @IsArray()
  steps?: unknown[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;
}

export class WorkflowDto {
  @ApiProperty() id!: string;
  @ApiProperty() project_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() is_active!: boolean;
  @ApiProperty({ enum: TRIGGER_TYPES }) trigger_type!: string;
  @ApiProperty({ type: Object, description: TRIGGER_DOC }) trigger_config!: Record<string, unknown>;
  @ApiProperty({ type: [Object], description: STEPS_DOC }) steps!: Record<string, unknown>[];
  @ApiProperty({ nullable: true, type: String, description: 'schedule: the next tick' })
  next_run_at!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'http: the absolute URL of POST /api/projects/{pid}/functions/{slug}',
  })
  function_url!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

export class RunWorkflowDto {
  @ApiPropertyOptional({
    description: 'Any JSON; `{{input.x}}` in the steps (default {})',
    type: Object,
  })
  @IsOptional()
  input?: unknown;
}

export class RunStartedDto {
  @ApiProperty() run_id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'] })
  status!: string;
}

export const RUN_STATUSES = ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'];

export class RunsQueryDto {
  @ApiPropertyOptional({ enum: RUN_STATUSES })
  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';

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

export class StepLogDto {
  @ApiProperty() index!: number;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ enum: STEP_ACTIONS }) action!: string;
  @ApiProperty({
    enum: ['pending', 'running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled'],
  })
  status!: string;
  @ApiProperty({ description: 'The step as rendered (secrets shown as ***)', nullable: true })
  input!: unknown;
  @ApiProperty({ nullable: true }) output!: unknown;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) started_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) finished_at!: string | null;
}

export class RunDto {
  @ApiProperty() id!: string;
  @ApiProperty() workflow_id!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: string;
  @ApiProperty() trigger_type!: string;
  @ApiProperty({
    type: Object,
    nullable: true,
    description: '{event, event_id?, collection?, record?, old_record?, …}',
  })
  trigger!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true }) input!: unknown;
  @ApiProperty({ nullable: true, description: "The last step's output once completed" })
  output!: unknown;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ description: '0, or one more than the run whose record write started it' })
  depth!: number;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) started_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) finished_at!: string | null;
}

export class RunDetailDto extends RunDto {
  @ApiProperty({ type: [StepLogDto] }) steps!: StepLogDto[];
}

export class RunsPageDto {
  @ApiProperty({ type: [RunDto] }) runs!: RunDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class CronPreviewDto {
  @ApiProperty({ example: '0 9 * * 1-5', description: '5 fields: minute hour day month weekday' })
  @IsString()
  @MaxLength(200)
  cron!: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', default: 'UTC' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class CronPreviewResultDto {
  @ApiProperty({ type: [String], description: 'The next five times (ISO 8601, UTC)' })
  next!: string[];
}

export class SecretDto {
  @ApiProperty() name!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

export class PutSecretDto {
  @ApiProperty({ description: 'Stored encrypted; never shown again', maxLength: 8192 })
  @IsString()
  @MinLength(1)
  @MaxLength(8192)
  value!: string;
}
