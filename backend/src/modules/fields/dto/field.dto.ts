import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import type { FieldOptions } from '../../../schema-engine/field-types/field-type';
import { FIELD_TYPE_NAMES } from '../../../schema-engine/field-types/field-type';
import { trimString as trim } from '../../../common/dto/credentials.dto';

export class CreateFieldDto {
  @ApiProperty({ example: 'title' })
  @IsString()
  @MinLength(1)
  @MaxLength(63)
  name: string;

  @ApiPropertyOptional({ example: 'Title' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  display_name?: string;

  @ApiProperty({ enum: [...FIELD_TYPE_NAMES.filter((t) => t !== 'relation'), 'boolean'] })
  @IsString()
  field_type: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_required?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_unique?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_indexed?: boolean;
  @ApiPropertyOptional({
    description: 'Text fields: add a trigram index so substring search stays fast',
  })
  @IsOptional()
  @IsBoolean()
  is_searchable?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_hidden?: boolean;

  @ApiPropertyOptional({ description: 'Validated and cast by the field type', nullable: true })
  @IsOptional()
  default_value?: unknown;

  @ApiPropertyOptional({
    description:
      'Type settings: enum {values}, decimal {precision, scale}, string {max_length}, file {bucket, delete_files_with_record}',
  })
  @IsOptional()
  @IsObject()
  options?: FieldOptions;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class UpdateFieldDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  display_name?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_required?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_unique?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_indexed?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_searchable?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_hidden?: boolean;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() default_value?: unknown;
  @ApiPropertyOptional() @IsOptional() @IsObject() options?: FieldOptions;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

export class FieldResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() collection_id: string;
  @ApiProperty() name: string;
  @ApiProperty() display_name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() field_type: string;
  @ApiProperty() sql_column_name: string;
  @ApiProperty({ type: Object }) options: FieldOptions;
  @ApiProperty() is_required: boolean;
  @ApiProperty() is_unique: boolean;
  @ApiProperty() is_indexed: boolean;
  @ApiProperty({ nullable: true, type: String }) default_value: string | null;
  @ApiProperty() is_system: boolean;
  @ApiProperty() is_hidden: boolean;
  @ApiProperty() is_deleted: boolean;
  @ApiProperty({ nullable: true, type: String }) deleted_at: string | null;
  @ApiProperty({ nullable: true, type: String }) relation_target_collection_id: string | null;
  @ApiProperty({ nullable: true, type: String }) relation_type: string | null;
  @ApiProperty({ nullable: true, type: String }) relation_on_delete: string | null;
  @ApiProperty({ nullable: true, type: String }) relation_display_field: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}
