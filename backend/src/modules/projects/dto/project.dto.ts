import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
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
  ValidateNested,
} from 'class-validator';
import { PROJECT_ROLES, type ProjectRole } from '../membership.entity';
import { trimString as trim } from '../../../common/dto/credentials.dto';

export class CreateProjectDto {
  @ApiProperty({ example: 'My app', minLength: 1, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  // eslint-disable-next-line no-control-regex -- project names must not carry control characters
  @Matches(/^[^\u0000-\u001f]*$/, { message: 'name must not contain control characters' })
  name: string;
}

export class RateLimitsDto {
  @ApiPropertyOptional({
    nullable: true,
    description: 'Requests per minute per API key; null or 0 = unlimited',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  api_key?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'Requests per minute per app user' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  app_user?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    description: 'Requests per minute per IP for anonymous callers',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  anonymous?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'Requests per minute per member admin' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  admin?: number | null;
}

/** An origin as browsers send it: scheme://host[:port], no path. */
export const ORIGIN_PATTERN =
  /^[a-z][a-z0-9+.-]*:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/i;

export class UpdateProjectDto {
  @ApiPropertyOptional({ example: 'My app', minLength: 1, maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  // eslint-disable-next-line no-control-regex -- project names must not carry control characters
  @Matches(/^[^\u0000-\u001f]*$/, { message: 'name must not contain control characters' })
  name?: string;

  @ApiPropertyOptional({ type: RateLimitsDto, description: 'Data-route limits per minute' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitsDto)
  rate_limits?: RateLimitsDto;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['https://app.example.com', 'http://localhost:5173'],
    description:
      "Origins allowed to call the project's app routes (data, auth, files, realtime, functions) from a browser; null or [] = any origin",
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(255, { each: true })
  @Matches(ORIGIN_PATTERN, {
    each: true,
    message: 'allowed_origins must list origins like https://app.example.com (no path)',
  })
  allowed_origins?: string[] | null;
}

export class ProjectResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PROJECT_ROLES, description: "The caller's role in the project" })
  role: ProjectRole;
  @ApiProperty({ description: 'Data-route limits per minute (null = unlimited)' })
  rate_limits: {
    api_key: number | null;
    app_user: number | null;
    anonymous: number | null;
    admin: number | null;
  };
  @ApiProperty({
    type: [String],
    nullable: true,
    description: "Origins allowed on the project's app routes; null = any origin",
  })
  allowed_origins: string[] | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class AddMemberDto {
  @ApiProperty()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email: string;

  @ApiProperty({ enum: PROJECT_ROLES })
  @IsIn(PROJECT_ROLES as unknown as string[], {
    message: `role must be one of: ${PROJECT_ROLES.join(', ')}`,
  })
  role: ProjectRole;
}

export class UpdateMemberDto {
  @ApiProperty({ enum: PROJECT_ROLES })
  @IsIn(PROJECT_ROLES as unknown as string[], {
    message: `role must be one of: ${PROJECT_ROLES.join(', ')}`,
  })
  role: ProjectRole;
}

export class MemberResponseDto {
  @ApiProperty() user_id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: PROJECT_ROLES }) role: ProjectRole;
  @ApiProperty() created_at: string;
}

export class InvitedResponseDto {
  @ApiProperty({ example: true }) invited: true;
  @ApiProperty() email: string;
  @ApiProperty({ enum: PROJECT_ROLES }) role: ProjectRole;
  @ApiProperty() expires_at: string;
}

export class InvitationResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: PROJECT_ROLES }) role: ProjectRole;
  @ApiProperty({ nullable: true, type: String, description: 'User id of the inviting admin' })
  invited_by: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() expires_at: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token= value of the invitation link' })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  token: string;
}

export class AcceptInvitationResponseDto {
  @ApiProperty() project_id: string;
  @ApiProperty({ enum: PROJECT_ROLES }) role: ProjectRole;
}
