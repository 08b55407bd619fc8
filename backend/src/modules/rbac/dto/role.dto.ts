import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';

/** Role names travel inside comma lists (`allowed_roles`), so no commas or spaces. */
export const ROLE_NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,63}$/;

export class CreateRoleDto {
  @ApiProperty({ example: 'editor', description: 'Letters, digits, _ . : - (1..63)' })
  @IsString()
  @Matches(ROLE_NAME_PATTERN, {
    message: 'name must be 1-63 characters of letters, digits, _ . : or -',
  })
  name: string;

  @ApiPropertyOptional({ example: 'Editor', description: 'Defaults to the name' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(127)
  display_name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ description: 'Assigned to new app users; setting it clears the others' })
  @IsOptional()
  @IsBoolean()
  is_default?: boolean;
}

export class UpdateRoleDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(127)
  display_name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  is_default?: boolean;
}

export class AssignRolesDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  role_ids: string[];
}

export class RoleResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty() name: string;
  @ApiProperty() display_name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() is_default: boolean;
  @ApiProperty() is_system: boolean;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
  @ApiProperty({ description: 'How many app users hold the role' }) user_count: number;
}

export class UserRolesResponseDto {
  @ApiProperty() app_user_id: string;
  @ApiProperty({ type: [RoleResponseDto] }) roles: RoleResponseDto[];
}

export class InitializeRolesResponseDto {
  @ApiProperty() roles_created: number;
}
