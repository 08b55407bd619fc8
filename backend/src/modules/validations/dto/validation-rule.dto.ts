import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { RULE_TYPES } from '../rule-types';

const PRIORITY_LIMIT = 1_000_000;

export class CreateRuleDto {
  @ApiProperty({ enum: RULE_TYPES, example: 'min_length' })
  @IsString()
  @MaxLength(32)
  rule_type: string;

  @ApiPropertyOptional({
    type: Object,
    example: { min: 3 },
    description: 'Per rule type; see GET /rule-types',
  })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Replaces the default message',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  error_message?: string | null;

  @ApiPropertyOptional({ default: 0, description: 'Lower runs first' })
  @IsOptional()
  @IsInt()
  @Min(-PRIORITY_LIMIT)
  @Max(PRIORITY_LIMIT)
  priority?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;
}

export class UpdateRuleDto {
  @ApiPropertyOptional({
    type: Object,
    nullable: true,
    description: 'Replaces the whole config; null means {}',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsObject()
  config?: Record<string, unknown> | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  error_message?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(-PRIORITY_LIMIT)
  @Max(PRIORITY_LIMIT)
  priority?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;
}

export class ValidatePayloadDto {
  @ApiProperty({ type: Object, example: { title: 'Hi' } })
  @IsObject()
  data: Record<string, unknown>;

  @ApiPropertyOptional({ enum: ['create', 'update'], default: 'create' })
  @IsOptional()
  @IsIn(['create', 'update'])
  mode?: 'create' | 'update';

  @ApiPropertyOptional({
    type: Object,
    description: 'update mode: the stored record, for required_if',
  })
  @IsOptional()
  @IsObject()
  existing?: Record<string, unknown>;
}

export class RuleResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() field_id: string;
  @ApiProperty() field_name: string;
  @ApiProperty() collection_id: string;
  @ApiProperty() rule_type: string;
  @ApiProperty({ type: Object }) config: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) error_message: string | null;
  @ApiProperty() priority: number;
  @ApiProperty() is_active: boolean;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class FieldErrorDto {
  @ApiProperty() field: string;
  @ApiProperty() rule: string;
  @ApiProperty() message: string;
}

export class ValidateResultDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'Same as valid (the original name)' }) is_valid: boolean;
  @ApiProperty({ type: [FieldErrorDto] }) errors: FieldErrorDto[];
}

export class RuleTypeDto {
  @ApiProperty() type: string;
  @ApiProperty({ type: [String] }) applies_to: string[];
  @ApiProperty({ type: Object, example: { min: 'int' } }) config_schema: Record<string, string>;
  @ApiProperty({ type: [String] }) required_config: string[];
  @ApiProperty() default_message: string;
  @ApiProperty() description: string;
}

export class RuleTypesResponseDto {
  @ApiProperty({ type: [RuleTypeDto] }) rule_types: RuleTypeDto[];
}
