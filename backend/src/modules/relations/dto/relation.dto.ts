import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import type { OnDeleteAction } from '../../../schema-engine/catalog.types';
import { trimString as trim } from '../../../common/dto/credentials.dto';

export const RELATION_TYPES = ['many_to_one', 'many_to_many'] as const;
export type CreatableRelationType = (typeof RELATION_TYPES)[number];
export const ON_DELETE_ACTIONS: readonly OnDeleteAction[] = ['RESTRICT', 'CASCADE', 'SET NULL'];
export const DOCUMENTED_RELATION_TYPES = [
  'belongs_to',
  'has_many',
  'many_to_one',
  'many_to_many',
] as const;

export class CreateRelationDto {
  @ApiProperty({
    example: 'author',
    description: 'Identifier; many_to_one relations get the column `<name>_id`',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(63)
  name: string;

  @ApiPropertyOptional({ example: 'Author', description: 'Defaults to the humanized name' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  display_name?: string;

  @ApiProperty({ description: 'Id of the target collection (may be the same collection)' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  target_collection_id: string;

  @ApiPropertyOptional({ enum: RELATION_TYPES, default: 'many_to_one' })
  @IsOptional()
  @IsIn(RELATION_TYPES, { message: 'Invalid relation type: must be many_to_one or many_to_many' })
  relation_type?: CreatableRelationType;

  @ApiPropertyOptional({ enum: ON_DELETE_ACTIONS, default: 'RESTRICT' })
  @IsOptional()
  @IsIn(ON_DELETE_ACTIONS, {
    message: 'Invalid on_delete action: must be RESTRICT, CASCADE or SET NULL',
  })
  on_delete?: OnDeleteAction;

  @ApiPropertyOptional({
    nullable: true,
    description: 'A field of the target shown when the relation is displayed',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(63)
  display_field?: string | null;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  is_required?: boolean;
}

/** The documented (docs/relations.md) form; collections by name or id. */
export class CreateDocumentedRelationDto {
  @ApiProperty({ example: 'posts', description: 'Collection name or id' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  source_collection: string;

  @ApiProperty({ example: 'authors', description: 'Collection name or id' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  target_collection: string;

  @ApiProperty({
    enum: DOCUMENTED_RELATION_TYPES,
    description:
      'belongs_to = many_to_one on the source; has_many = many_to_one created on the target, pointing at the source',
  })
  @IsIn(DOCUMENTED_RELATION_TYPES, {
    message: 'Invalid relation type: must be belongs_to, has_many, many_to_one or many_to_many',
  })
  relation_type: (typeof DOCUMENTED_RELATION_TYPES)[number];

  @ApiPropertyOptional({
    example: 'author',
    description:
      'Name of the relation field. It lives on the source, except for has_many where it is created on the target (default: the other collection name)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(63)
  source_field?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(255)
  display_name?: string;

  @ApiPropertyOptional({ enum: ON_DELETE_ACTIONS, default: 'RESTRICT' })
  @IsOptional()
  @IsIn(ON_DELETE_ACTIONS, {
    message: 'Invalid on_delete action: must be RESTRICT, CASCADE or SET NULL',
  })
  on_delete?: OnDeleteAction;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(63)
  display_field?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_required?: boolean;
}

export class RelationResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() collection_id: string;
  @ApiProperty() collection_name: string;
  @ApiProperty() name: string;
  @ApiProperty() display_name: string;
  @ApiProperty({ example: 'relation' }) field_type: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: '`<name>_id` for many_to_one; null for many_to_many (see junction_table)',
  })
  sql_column_name: string | null;
  @ApiProperty() is_required: boolean;
  @ApiProperty() relation_target_collection_id: string;
  @ApiProperty({ enum: RELATION_TYPES }) relation_type: string;
  @ApiProperty({ enum: ON_DELETE_ACTIONS }) relation_on_delete: string;
  @ApiProperty({ nullable: true, type: String }) relation_display_field: string | null;
  @ApiProperty() target_collection_name: string;
  @ApiProperty({ nullable: true, type: String }) junction_table: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class ReverseRelationResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() display_name: string;
  @ApiProperty() source_collection_id: string;
  @ApiProperty() source_collection_name: string;
  @ApiProperty({ enum: ['one_to_many', 'many_to_many'] }) relation_type: string;
  @ApiProperty({ nullable: true, type: String }) sql_column_name: string | null;
  @ApiProperty({ example: 'posts_via_author' }) reverse_name: string;
  @ApiProperty({ nullable: true, type: String }) junction_table: string | null;
}

export class RelationOptionDto {
  @ApiProperty() value: string;
  @ApiProperty() label: string;
  @ApiProperty() description: string;
}

export class RelationOptionsResponseDto {
  @ApiProperty({ type: [RelationOptionDto] }) relation_types: RelationOptionDto[];
  @ApiProperty({ type: [RelationOptionDto] }) on_delete_actions: RelationOptionDto[];
}
