import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { trimString as trim } from '../../../common/dto/credentials.dto';

export class CreateCollectionDto {
  @ApiProperty({
    example: 'posts',
    description: 'Lowercase letters, digits and _; starts with a letter; not a reserved word',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(63)
  name: string;

  @ApiPropertyOptional({ example: 'Posts' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  display_name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: 'file-text' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  icon?: string;
}

export class UpdateCollectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  display_name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(64)
  icon?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    description: 'Field shown when records of this collection are referenced',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(63)
  display_field?: string | null;
}

export class DeleteCollectionQueryDto {
  @ApiProperty({ description: 'The collection name again, as confirmation' })
  @IsString()
  confirm: string;
}

export class CollectionResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() display_name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String }) icon: string | null;
  @ApiProperty({ nullable: true, type: String }) display_field: string | null;
  @ApiProperty() sql_table_name: string;
  @ApiProperty() is_active: boolean;
  @ApiProperty() is_system: boolean;
  @ApiProperty() field_count: number;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}
