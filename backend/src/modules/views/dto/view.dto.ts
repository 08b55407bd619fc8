import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
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
  ValidateNested,
} from 'class-validator';
import {
  MAX_VIEW_AGGREGATES,
  MAX_VIEW_COLUMNS,
  MAX_VIEW_GROUP_BY,
  MAX_VIEW_JOINS,
  MAX_VIEW_SORTS,
  VIEW_AGGREGATE_FNS,
  VIEW_JOIN_TYPES,
  VIEW_LIMIT_CAP,
} from '../../../query-engine/view-definition';

const FILTERS_DOC =
  'The original list `[{field, operator, value, is_param, param_name}]`, a list of `{field, op, value}` leaves (AND-ed), or a `{and|or|not}` tree of the data API. A value `"{{name}}"` is the param `name`, bound as a parameter. Fields of joins are `relation.field`.';

export class ViewJoinDto {
  @ApiProperty({
    description: 'A relation of the base (`category`), or of an earlier join (`category.parent`)',
    example: 'category',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  relation!: string;

  @ApiPropertyOptional({ enum: VIEW_JOIN_TYPES, default: 'left' })
  @IsOptional()
  @IsIn(VIEW_JOIN_TYPES)
  type?: 'left' | 'inner';

  @ApiPropertyOptional({
    type: [String],
    description: 'Fields of the joined collection, returned as `relation.field`',
    example: ['name'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_VIEW_COLUMNS)
  @IsString({ each: true })
  fields?: string[];
}

export class ViewSortDto {
  @ApiProperty({ description: 'Any output column of the view' })
  @IsString()
  @MaxLength(200)
  field!: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  desc?: boolean;

  @ApiPropertyOptional({ description: 'Take the field from the param `param_name` (a sort_field)' })
  @IsOptional()
  @IsBoolean()
  is_param?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(63)
  param_name?: string;

  @ApiPropertyOptional({ description: 'Take the direction from the param `desc_param_name`' })
  @IsOptional()
  @IsBoolean()
  desc_is_param?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(63)
  desc_param_name?: string;
}

export class ViewAggregateDto {
  @ApiProperty({ enum: VIEW_AGGREGATE_FNS })
  @IsIn(VIEW_AGGREGATE_FNS)
  fn!: (typeof VIEW_AGGREGATE_FNS)[number];

  @ApiPropertyOptional({ description: 'The field; absent or `*` for count = rows' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  field?: string | null;

  @ApiProperty({ description: 'Output column name (an identifier)', example: 'post_count' })
  @IsString()
  @MaxLength(63)
  as!: string;
}

/** The definition fields shared by create, patch and preview. */
export class ViewDefinitionDto {
  @ApiPropertyOptional({ type: [String], nullable: true, description: 'null = every column' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_VIEW_COLUMNS)
  @IsString({ each: true })
  projection?: string[] | null;

  @ApiPropertyOptional({ type: [ViewJoinDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_VIEW_JOINS)
  @ValidateNested({ each: true })
  @Type(() => ViewJoinDto)
  joins?: ViewJoinDto[];

  @ApiPropertyOptional({ description: FILTERS_DOC })
  @Allow()
  filters?: unknown;

  @ApiPropertyOptional({ type: [ViewSortDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_VIEW_SORTS)
  @ValidateNested({ each: true })
  @Type(() => ViewSortDto)
  sorts?: ViewSortDto[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_VIEW_GROUP_BY)
  @IsString({ each: true })
  group_by?: string[];

  @ApiPropertyOptional({ type: [ViewAggregateDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_VIEW_AGGREGATES)
  @ValidateNested({ each: true })
  @Type(() => ViewAggregateDto)
  aggregates?: ViewAggregateDto[];

  @ApiPropertyOptional({
    description: 'A filter over output columns (group_by fields and aggregate aliases)',
  })
  @Allow()
  having?: unknown;

  @ApiPropertyOptional({
    description:
      '`{name: {type: string|number|integer|boolean|date|datetime|list|limit|offset|sort_field|sort_direction, required?, description?, example?, default?}}`',
  })
  @IsOptional()
  @IsObject()
  params_schema?: Record<string, unknown>;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: VIEW_LIMIT_CAP })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(VIEW_LIMIT_CAP)
  default_limit?: number;

  @ApiPropertyOptional({ default: 1000, minimum: 1, maximum: VIEW_LIMIT_CAP })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(VIEW_LIMIT_CAP)
  max_limit?: number;
}

export class CreateViewDto extends ViewDefinitionDto {
  @ApiProperty({
    description: 'Identifier; also the path `/data/{name}`',
    example: 'posts_by_category',
  })
  @IsString()
  @MaxLength(63)
  name!: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  display_name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ description: 'The base collection by id (the original) …' })
  @IsOptional()
  @IsUUID()
  base_collection_id?: string;

  @ApiPropertyOptional({ description: '… or by name' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  base_collection?: string;
}

export class UpdateViewDto extends ViewDefinitionDto {
  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  display_name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  base_collection_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(63)
  base_collection?: string;
}

export class ExecuteViewDto {
  @ApiPropertyOptional({ description: 'Values of the params in params_schema' })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Capped by the view’s max_limit; 0 = default_limit' })
  @IsOptional()
  @IsInt()
  @Min(0)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  offset?: number;
}

export class PreviewViewDto extends ViewDefinitionDto {
  @ApiPropertyOptional({ description: 'Ignored: a preview is not saved' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  display_name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  base_collection_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(63)
  base_collection?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({ default: 20 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(VIEW_LIMIT_CAP)
  limit?: number;
}

export class ViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() display_name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() base_collection_id!: string;
  @ApiProperty({ description: 'Name of the base collection (new)' }) base_collection!:
    string | null;
  @ApiProperty({ type: [String], nullable: true }) projection!: string[] | null;
  @ApiProperty() filters!: unknown;
  @ApiProperty({ type: [ViewSortDto] }) sorts!: unknown[];
  @ApiProperty({ type: [ViewJoinDto] }) joins!: unknown[];
  @ApiProperty({ type: [String] }) group_by!: string[];
  @ApiProperty({ type: [ViewAggregateDto] }) aggregates!: unknown[];
  @ApiProperty({ nullable: true }) having!: unknown;
  @ApiProperty() params_schema!: Record<string, unknown>;
  @ApiProperty() default_limit!: number;
  @ApiProperty() max_limit!: number;
  @ApiProperty() version!: number;
  @ApiProperty() is_active!: boolean;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

export class ViewVersionDto {
  @ApiProperty() id!: string;
  @ApiProperty() view_id!: string;
  @ApiProperty() version!: number;
  @ApiProperty() display_name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() base_collection_id!: string;
  @ApiProperty({ type: [String], nullable: true }) projection!: string[] | null;
  @ApiProperty() filters!: unknown;
  @ApiProperty() sorts!: unknown[];
  @ApiProperty() joins!: unknown[];
  @ApiProperty() group_by!: string[];
  @ApiProperty() aggregates!: unknown[];
  @ApiProperty({ nullable: true }) having!: unknown;
  @ApiProperty() params_schema!: Record<string, unknown>;
  @ApiProperty() default_limit!: number;
  @ApiProperty() max_limit!: number;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) created_by_user_id!: string | null;
}

export class ExecuteResultDto {
  @ApiProperty({ type: 'array', items: { type: 'object' } }) data!: Record<string, unknown>[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty() view_name!: string;
  @ApiProperty() view_version!: number;
}

export class ViewColumnDto {
  @ApiProperty() name!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ enum: ['field', 'aggregate'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) source!: string | null;
}

export class PreviewResultDto {
  @ApiProperty({ description: 'The one statement, with $n placeholders' }) sql!: string;
  @ApiProperty({ type: 'array', items: {} }) params!: unknown[];
  @ApiProperty({ type: [ViewColumnDto] }) columns!: ViewColumnDto[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) rows!: Record<string, unknown>[];
  @ApiProperty() total!: number;
}
