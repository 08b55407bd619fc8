import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ROLE_NAME_PATTERN } from '../../rbac/dto/role.dto';
import { POLICY_ACTIONS, POLICY_EFFECTS } from '../policy-engine';

const PRINCIPALS_DOC =
  'Comma string or array of admin_user, app_user, api_key, anonymous (empty = admin_user,api_key)';
const CONDITION_DOC =
  'Original {type: authenticated|owner|app_user_owner|field_equals|and|or|not} form, or the ' +
  'console form {field: value | {$op: value}, $and?, $or?, $not?}; values may be $current_user_id, ' +
  '$current_app_user_id, $current_user_roles, $current_user_email (verified app users only), $now; ' +
  'a variable the caller lacks is NULL (comparisons with it are unknown). Hidden fields and ' +
  '_users.password_hash cannot be named';

class PolicyBodyDto {
  @ApiPropertyOptional({ enum: POLICY_EFFECTS })
  @IsOptional()
  @IsString()
  effect?: string;

  @ApiPropertyOptional({
    description: `JSON text of the condition. ${CONDITION_DOC}`,
    nullable: true,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(20000)
  condition_json?: string | null;

  @ApiPropertyOptional({ description: CONDITION_DOC, nullable: true, type: Object })
  @Allow()
  condition?: unknown;

  @ApiPropertyOptional({ description: 'Higher runs first' })
  @IsOptional()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  priority?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({
    description: PRINCIPALS_DOC,
    oneOf: [{ type: 'string' }, { type: 'array' }],
  })
  @Allow()
  allowed_principals?: unknown;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  require_email_verified?: boolean;

  @ApiPropertyOptional({
    description: 'Comma string or array of role names (app users must hold one)',
    oneOf: [{ type: 'string' }, { type: 'array' }],
  })
  @Allow()
  allowed_roles?: unknown;

  @ApiPropertyOptional({
    description:
      'Fields readable under this policy (null = all); others are absent from every answer and cannot be filtered, sorted or searched on. Hidden fields cannot be listed',
    nullable: true,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsArray()
  @IsString({ each: true })
  read_fields?: string[] | null;

  @ApiPropertyOptional({
    description: 'Fields writable under this policy (null = all). Hidden fields cannot be listed',
    nullable: true,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsArray()
  @IsString({ each: true })
  write_fields?: string[] | null;
}

export class UpdatePolicyDto extends PolicyBodyDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 63 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(63)
  name?: string;
}

export class CreatePolicyDto extends PolicyBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 63 })
  @IsString()
  @MinLength(1)
  @MaxLength(63)
  name: string;

  @ApiProperty({ enum: POLICY_ACTIONS })
  @IsString()
  action: string;
}

export class PolicyResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() collection_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: POLICY_ACTIONS }) action: string;
  @ApiProperty({ enum: POLICY_EFFECTS }) effect: string;
  @ApiProperty({ nullable: true, type: String }) condition_json: string | null;
  @ApiProperty({ nullable: true, type: Object }) condition: unknown;
  @ApiProperty() is_active: boolean;
  @ApiProperty() priority: number;
  @ApiProperty({ description: 'Comma string, as the original' }) allowed_principals: string;
  @ApiProperty() require_email_verified: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Comma string, as the original' })
  allowed_roles: string | null;
  @ApiProperty({ nullable: true, type: [String] }) read_fields: string[] | null;
  @ApiProperty({ nullable: true, type: [String] }) write_fields: string[] | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class ExplainQueryDto {
  @ApiProperty({ enum: POLICY_ACTIONS })
  @IsIn(POLICY_ACTIONS as unknown as string[])
  action: string;

  @ApiPropertyOptional({
    description: 'app_user:<id> | api_key | anonymous | admin (default anonymous)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  as?: string;
}

export class ProjectPoliciesQueryDto {
  @ApiPropertyOptional({ description: 'Only the policies whose allowed_roles name this role' })
  @IsOptional()
  @Matches(ROLE_NAME_PATTERN, { message: 'role must be a role name' })
  role?: string;
}

export class ProjectPolicyResponseDto extends PolicyResponseDto {
  @ApiProperty({ description: 'Name of the collection the policy guards' }) collection: string;
}
