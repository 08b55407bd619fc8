import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';

export const MAX_SQL_LENGTH = 100_000;
export const MAX_SQL_PARAMS = 100;

const isParam = (v: unknown): boolean =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || Number.isFinite(v);

/** Every element a string, a finite number, a boolean or null (bound as text, cast by PostgreSQL). */
function IsSqlParamList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSqlParamList',
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every(isParam),
        defaultMessage: () => 'params must hold only strings, numbers, booleans or null',
      },
    },
    options,
  );
}

export class RunSqlDto {
  @ApiProperty({
    description: 'One SQL statement; `$1…$n` are `params`. Runs as the project role.',
    example: 'SELECT id, title FROM posts WHERE id = $1',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_SQL_LENGTH)
  query!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    nullable: true,
    description:
      'Values of `$1…$n`, bound (never pasted); PostgreSQL casts them to the types it infers.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SQL_PARAMS)
  @IsSqlParamList()
  params?: (string | number | boolean | null)[];

  @ApiPropertyOptional({
    default: true,
    description: '`false` runs in a read-write transaction: owners only.',
  })
  @IsOptional()
  @IsBoolean()
  read_only?: boolean;
}

export class SqlColumnDto {
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'As PostgreSQL spells it (`format_type`)', example: 'integer' })
  type!: string;
}

export class SqlResultDto {
  @ApiProperty({ type: [SqlColumnDto] }) columns!: SqlColumnDto[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Objects keyed by column name (a repeated name gets `_2`, `_3`…)',
  })
  rows!: Record<string, unknown>[];
  @ApiProperty({ description: 'Rows returned, or rows affected by a statement that returns none' })
  row_count!: number;
  @ApiProperty({ description: 'More than 1000 rows: the first 1000 are returned' })
  truncated!: boolean;
  @ApiProperty() duration_ms!: number;
}

export class SqlHistoryQueryDto {
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class SqlHistoryEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() query!: string;
  @ApiProperty({ type: 'array', items: {}, nullable: true }) params!: unknown[] | null;
  @ApiProperty() read_only!: boolean;
  @ApiProperty({ enum: ['ok', 'error'] }) status!: 'ok' | 'error';
  @ApiProperty({ nullable: true, description: 'SQLSTATE of a failed run' })
  error_code!: string | null;
  @ApiProperty({ nullable: true }) error!: string | null;
  @ApiProperty({ nullable: true }) row_count!: number | null;
  @ApiProperty() truncated!: boolean;
  @ApiProperty({ nullable: true }) duration_ms!: number | null;
  @ApiProperty() created_at!: string;
}

export class SqlHistoryDto {
  @ApiProperty({ type: [SqlHistoryEntryDto], description: "The caller's runs, newest first" })
  history!: SqlHistoryEntryDto[];
}
