import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_SIGNED_TTL_SECONDS } from '../signed-url';
import { VARIANT_FITS, VARIANT_FORMATS } from '../image-variants';

const POLICIES_DOC =
  'Bucket policies in the collection policy language: [{name, action: read|write, effect?, priority?, ' +
  'allowed_principals?, require_email_verified?, allowed_roles?, condition?, is_active?}]. `read` governs ' +
  'list, get and download; `write` governs upload and delete. Conditions name file columns ' +
  '(created_by_app_user_id, content_type, size_bytes, original_filename, is_public, …), e.g. ' +
  '{"created_by_app_user_id": "$current_app_user_id"}. No policies: member admins and API keys only.';

export class UpdateBucketDto {
  @ApiPropertyOptional({ description: 'Files of a public bucket download without credentials' })
  @IsOptional()
  @IsBoolean()
  is_public?: boolean;

  @ApiPropertyOptional({ description: 'Largest file in bytes (default MAX_FILE_SIZE, 10 MiB)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  max_size_bytes?: number;

  @ApiPropertyOptional({
    type: [String],
    description:
      'Allowed content types (`image/png`, `image/*`); checked on the type sniffed from the bytes. Empty = any',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(127, { each: true })
  allowed_types?: string[];

  @ApiPropertyOptional({ description: POLICIES_DOC, type: [Object] })
  @Allow()
  policies?: unknown;
}

export class CreateBucketDto extends UpdateBucketDto {
  @ApiProperty({ description: 'a-z, 0-9, _ and -; 1 to 63 characters', example: 'avatars' })
  @IsString()
  @MinLength(1)
  @MaxLength(63)
  name: string;
}

export class BucketDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() is_public: boolean;
  @ApiProperty() max_size_bytes: number;
  @ApiProperty({ type: [String] }) allowed_types: string[];
  @ApiProperty({ type: [Object], description: POLICIES_DOC }) policies: unknown[];
  @ApiProperty() file_count: number;
  @ApiProperty() total_bytes: number;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class DeleteBucketQueryDto {
  @ApiPropertyOptional({ description: 'Also delete the files of a non-empty bucket' })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'])
  force?: string;
}

export class FileDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Stored name: the id and the extension of the original' })
  filename: string;
  @ApiProperty() original_filename: string;
  @ApiProperty({ description: 'Sniffed from the bytes, never taken from the client alone' })
  content_type: string;
  @ApiProperty() size_bytes: number;
  @ApiProperty() bucket: string;
  @ApiProperty({ nullable: true, type: String }) collection_id: string | null;
  @ApiProperty({ nullable: true, type: String }) record_id: string | null;
  @ApiProperty({ nullable: true, type: String }) field_name: string | null;
  @ApiProperty() is_public: boolean;
  @ApiProperty({ nullable: true, type: String }) uploaded_by_user_id: string | null;
  @ApiProperty({ nullable: true, type: String }) created_by_app_user_id: string | null;
  @ApiProperty({ nullable: true, type: String }) checksum_sha256: string | null;
  @ApiProperty() download_url: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class UploadedFileDto {
  @ApiProperty() id: string;
  @ApiProperty() filename: string;
  @ApiProperty() original_filename: string;
  @ApiProperty() content_type: string;
  @ApiProperty() size_bytes: number;
  @ApiProperty() bucket: string;
  @ApiProperty() is_public: boolean;
  @ApiProperty() download_url: string;
  @ApiProperty({ nullable: true, type: String }) created_by_app_user_id: string | null;
  @ApiProperty() created_at: string;
}

export class FileListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(63) bucket?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() collection_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) record_id?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class StatsDto {
  @ApiProperty() file_count: number;
  @ApiProperty() total_bytes: number;
  @ApiProperty() total_mb: number;
}

class VariantParamsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 4096 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4096)
  width?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 4096 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4096)
  height?: number;

  @ApiPropertyOptional({ enum: VARIANT_FITS })
  @IsOptional()
  @IsIn(VARIANT_FITS as unknown as string[])
  fit?: string;

  @ApiPropertyOptional({ enum: VARIANT_FORMATS })
  @IsOptional()
  @IsIn(VARIANT_FORMATS as unknown as string[])
  format?: string;
}

export class SignedUrlDto extends VariantParamsDto {
  @ApiPropertyOptional({ default: 3600, minimum: 1, maximum: MAX_SIGNED_TTL_SECONDS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SIGNED_TTL_SECONDS)
  expires_in?: number;
}

export class SignedUrlResultDto {
  @ApiProperty({ description: 'Relative URL; GET it without credentials until expires_at' })
  url: string;
  @ApiProperty() expires_at: string;
}

export class SignedUploadUrlDto {
  @ApiPropertyOptional({ default: 'default' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  bucket?: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1024) filename: string;

  @ApiPropertyOptional({ description: 'Declared type (the bytes are sniffed all the same)' })
  @IsOptional()
  @IsString()
  @MaxLength(127)
  content_type?: string;

  @ApiPropertyOptional({ default: 3600, minimum: 1, maximum: MAX_SIGNED_TTL_SECONDS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SIGNED_TTL_SECONDS)
  expires_in?: number;
}

export class SignedUploadUrlResultDto {
  @ApiProperty({
    description:
      'Relative URL: PUT the bytes (application/octet-stream) or POST multipart `file` to it, no other credentials',
  })
  url: string;
  @ApiProperty() expires_at: string;
  @ApiProperty({ example: 'PUT' }) method: string;
}

export class OrphansDto {
  @ApiProperty() driver: string;
  @ApiProperty({ description: 'File rows whose object is missing from storage' })
  rows_without_objects: { id: string; bucket: string; storage_key: string; size_bytes: number }[];
  @ApiProperty({ description: 'Objects in storage that no file row names' })
  objects_without_rows: { key: string; size_bytes: number }[];
}
