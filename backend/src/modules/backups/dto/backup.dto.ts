import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export const BACKUP_TARGETS = ['local', 's3'] as const;

export class BackupDto {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty({ enum: BACKUP_TARGETS }) target: 'local' | 's3';
  @ApiProperty({ enum: ['manual', 'schedule'] }) trigger: 'manual' | 'schedule';
  @ApiProperty({ enum: ['running', 'ready', 'failed'] }) status: 'running' | 'ready' | 'failed';
  @ApiProperty({ nullable: true, type: Number }) size_bytes: number | null;
  @ApiProperty({ nullable: true, type: String }) sha256: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty({ nullable: true, type: String }) finished_at: string | null;
}

export class CreateBackupDto {
  @ApiPropertyOptional({
    enum: BACKUP_TARGETS,
    description: 'Default: the schedule target, else local',
  })
  @IsOptional()
  @IsIn(BACKUP_TARGETS)
  target?: 'local' | 's3';
}

export class RestoreQueryDto {
  @ApiPropertyOptional({
    description: "The new project's name (default: the archived name + ' (restored)')",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

export class PutBackupScheduleDto {
  @ApiProperty() @IsBoolean() enabled: boolean;

  @ApiProperty({
    description: "5-field cron, or a preset: 'hourly', 'daily' (03:00 UTC), 'weekly'",
    example: 'daily',
  })
  @IsString()
  @MaxLength(200)
  cron: string;

  @ApiProperty({
    description: 'Stored backups kept; older ones are deleted after each run',
    minimum: 1,
    maximum: 1000,
  })
  @IsInt()
  @Min(1)
  @Max(1000)
  keep_last: number;

  @ApiProperty({
    enum: BACKUP_TARGETS,
    description: 'local: DATA_DIR/backups/<project>/; s3: the S3 bucket under <project>/backups/',
  })
  @IsIn(BACKUP_TARGETS)
  target: 'local' | 's3';
}

export class BackupScheduleDto {
  @ApiProperty() enabled: boolean;
  @ApiProperty() cron: string;
  @ApiProperty() keep_last: number;
  @ApiProperty({ enum: BACKUP_TARGETS }) target: 'local' | 's3';
  @ApiProperty({ nullable: true, type: String }) next_run_at: string | null;
}
