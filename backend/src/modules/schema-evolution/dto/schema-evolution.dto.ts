import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type { FieldOptions } from '../../../schema-engine/field-types/field-type';
import { trimString as trim } from '../../../common/dto/credentials.dto';

/** Canonical operation names are the schema_ops op types; the friendlier names are accepted too. */
export const EVOLUTION_OPERATIONS = [
  'rename_table',
  'rename_column',
  'soft_delete_column',
  'restore_column',
  'drop_column',
  'change_column_type',
] as const;
export type EvolutionOperation = (typeof EVOLUTION_OPERATIONS)[number];
/** The original's names for the operations in answers; `schema_ops` keeps the op types above. */
export const OPERATION_NAMES: Record<EvolutionOperation, string> = {
  rename_table: 'rename_collection',
  rename_column: 'rename_field',
  soft_delete_column: 'soft_delete_field',
  restore_column: 'restore_field',
  drop_column: 'hard_delete_field',
  change_column_type: 'change_field_type',
};
export const OPERATION_ALIASES: Record<string, EvolutionOperation> = {
  ...Object.fromEntries(
    Object.entries(OPERATION_NAMES).map(([op, name]) => [name, op as EvolutionOperation]),
  ),
  soft_delete: 'soft_delete_column',
  restore: 'restore_column',
  hard_delete: 'drop_column',
  change_type: 'change_column_type',
};

export class RenameCollectionDto {
  @ApiProperty({ example: 'articles' })
  @IsString()
  @MinLength(1)
  @MaxLength(63)
  new_name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  new_display_name?: string;
}

export class RenameFieldDto extends RenameCollectionDto {}

export class ChangeTypeDto {
  @ApiProperty({ example: 'float' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  new_type: string;

  @ApiPropertyOptional({
    description: 'Type settings of the new type, e.g. decimal {precision, scale}',
  })
  @IsOptional()
  @IsObject()
  options?: FieldOptions;
}

export class PreviewMigrationDto {
  @ApiProperty({
    example: 'rename_column',
    description: `One of ${EVOLUTION_OPERATIONS.join(', ')} (or ${Object.keys(OPERATION_ALIASES).join(', ')})`,
  })
  @IsString()
  @MaxLength(64)
  operation: string;

  @ApiPropertyOptional({
    description:
      'new_name, new_display_name (renames); field_id; new_type, options (change type); force (hard delete)',
  })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
}

export class SubmitPendingDto extends PreviewMigrationDto {
  @ApiProperty()
  @IsUUID()
  collection_id: string;
}

export class ApplyPendingDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Apply only these pending changes, in order of submission',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  ids?: string[];
}

export class PendingListQueryDto {
  @ApiPropertyOptional({
    enum: ['pending', 'failed', 'applied', 'discarded', 'all'],
    default: 'pending',
  })
  @IsOptional()
  @IsIn(['pending', 'failed', 'applied', 'discarded', 'all'])
  status?: string;
}

export class SchemaOpsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() collection_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) op_type?: string;

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
}

export class HardDeleteQueryDto {
  @ApiPropertyOptional({ description: 'Skip the soft-delete step' })
  @IsOptional()
  @IsIn(['true', 'false', 'True', 'False', '1', '0'])
  force?: string;
}

export class EvolutionResultDto {
  @ApiProperty() success: boolean;
  @ApiProperty({
    enum: Object.values(OPERATION_NAMES),
    description: "The original's operation name",
  })
  operation: string;
  @ApiProperty({ type: Object }) details: Record<string, unknown>;
}

export class PreviewResultDto {
  @ApiProperty() operation: string;
  @ApiProperty() collection: string;
  @ApiProperty({ type: [String], description: 'SQL statements the change runs' }) steps: string[];
  @ApiProperty({ type: [String], description: 'One sentence per step' }) descriptions: string[];
  @ApiProperty({ type: [String] }) warnings: string[];
  @ApiProperty({ type: Object }) params: Record<string, unknown>;
}

export class PendingChangeDto {
  @ApiProperty() id: string;
  @ApiProperty() collection_id: string;
  @ApiProperty() operation: string;
  @ApiProperty({ type: Object }) params: Record<string, unknown>;
  @ApiProperty({ enum: ['pending', 'applied', 'discarded', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String }) created_by_user_id: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty({ nullable: true, type: String }) applied_at: string | null;
  @ApiProperty({ type: [String], description: 'SQL preview against the current schema' })
  steps: string[];
  @ApiProperty({ type: [String] }) warnings: string[];
}

export class ApplyFailureDto {
  @ApiProperty() id: string;
  @ApiProperty() operation: string;
  @ApiProperty() code: string;
  @ApiProperty() error: string;
}

export class ApplyResultDto {
  @ApiProperty({ description: 'false when a change failed; later changes were not attempted' })
  success: boolean;
  @ApiProperty({ type: [EvolutionResultDto] }) applied: (EvolutionResultDto & { id: string })[];
  @ApiProperty({ type: ApplyFailureDto, nullable: true }) failed: ApplyFailureDto | null;
  @ApiProperty({ type: [String], description: 'Pending ids not attempted after the failure' })
  not_attempted: string[];
}

export class CollectionAliasDto {
  @ApiProperty() old_name: string;
  @ApiProperty() collection_id: string;
  @ApiProperty() expires_at: string;
}

export class FieldAliasDto {
  @ApiProperty() old_name: string;
  @ApiProperty() field_id: string;
  @ApiProperty() collection_id: string;
  @ApiProperty() expires_at: string;
}

export class AliasesResponseDto {
  @ApiProperty({ type: [CollectionAliasDto] }) collection_aliases: CollectionAliasDto[];
  @ApiProperty({ type: [FieldAliasDto] }) field_aliases: FieldAliasDto[];
}

export class SafeConversionDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() description: string;
}

export class SafeConversionsResponseDto {
  @ApiProperty({ type: [SafeConversionDto] }) safe_conversions: SafeConversionDto[];
}

export class SchemaOpResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty({ nullable: true, type: String }) collection_id: string | null;
  @ApiProperty() op_type: string;
  @ApiProperty({ description: 'JSON text' }) payload_json: string;
  @ApiProperty() sql: string;
  @ApiProperty({ enum: ['applied', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String }) actor_user_id: string | null;
  @ApiProperty() created_at: string;
}
