import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { DataRoute } from '../../common/auth/data-verb.decorator';
import { AppError } from '../../common/errors/app-error';
import { AcceptsBody } from '../../common/http/media-type.guard';
import { roleAtLeast } from '../projects/projects.service';
import type { AccessContext } from '../access/access-context';
import { DataAccessGuard, type DataRequest } from '../records/data-access.guard';
import {
  FileDto,
  FileListQueryDto,
  OrphansDto,
  SignedUploadUrlDto,
  SignedUploadUrlResultDto,
  SignedUrlDto,
  SignedUrlResultDto,
  StatsDto,
  UploadedFileDto,
} from './dto/files.dto';
import { FilesService } from './files.service';
import { PRESET_SIZES } from './image-variants';

const access = (req: DataRequest): AccessContext => req.access as AccessContext;

class DownloadQueryDto {
  @ApiPropertyOptional({ description: 'Signed URL expiry (unix seconds)' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  expires?: string;
  @ApiPropertyOptional({ description: 'Signed URL signature' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  sig?: string;
  @ApiPropertyOptional({ description: 'true: Content-Disposition attachment' })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  download?: string;
  @ApiPropertyOptional({ description: `Image variant width; presets ${PRESET_SIZES.join(', ')}` })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  width?: string;
  @ApiPropertyOptional({ description: 'Image variant height (same presets)' })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  height?: string;
  @ApiPropertyOptional({ description: 'cover | contain | inside | outside | fill' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  fit?: string;
  @ApiPropertyOptional({ description: 'webp | avif | jpeg' })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  format?: string;
}

class SignedUploadQueryDto {
  @IsString()
  @MaxLength(4096)
  token: string;
}

/** Member admins of at least `role` (stats and maintenance are not for app users or keys). */
function requireAdmin(a: AccessContext, role: 'viewer' | 'admin'): void {
  const p = a.principal;
  if (p.kind !== 'admin') {
    if (p.kind === 'anonymous') throw AppError.unauthenticated('Authentication required');
    throw AppError.forbidden('Only member admins may use this route');
  }
  if (!roleAtLeast(p.role, role))
    throw AppError.forbidden(`This action needs the ${role} role or higher`);
}

@ApiTags('files')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('projects/:projectId/files')
@UseGuards(DataAccessGuard)
@ApiForbiddenResponse({ description: 'No bucket policy allows it, or the member role is too low' })
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('upload')
  @HttpCode(201)
  @DataRoute('create')
  @AcceptsBody('multipart/form-data')
  @ApiOperation({
    summary: 'Upload a file (multipart: file, bucket?, is_public?), streamed to storage',
    description:
      'Member admins (developer+), and app users or API keys the bucket write policy allows. The content type is sniffed from the bytes and checked against allowed_types; the size against max_size_bytes (413).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        bucket: { type: 'string', default: 'default' },
        is_public: { type: 'boolean' },
      },
    },
  })
  @ApiCreatedResponse({ type: UploadedFileDto })
  async upload(@Req() req: DataRequest): Promise<UploadedFileDto> {
    return this.files.uploadedDto(await this.files.uploadMultipart(access(req), req));
  }

  @Post('signed-upload-url')
  @DataRoute('create')
  @ApiOperation({ summary: 'A URL that uploads one file into a bucket without other credentials' })
  @ApiCreatedResponse({ type: SignedUploadUrlResultDto })
  signedUploadUrl(
    @Req() req: DataRequest,
    @Body() dto: SignedUploadUrlDto,
  ): Promise<SignedUploadUrlResultDto> {
    return this.files.signedUploadUrl(access(req), dto);
  }

  @Put('upload/signed')
  @HttpCode(201)
  @DataRoute('get')
  @AcceptsBody('application/octet-stream', 'multipart/form-data')
  @ApiOperation({ summary: 'Upload by signed URL: the bytes as the body (or multipart file)' })
  @ApiCreatedResponse({ type: UploadedFileDto })
  async signedPut(
    @Req() req: DataRequest,
    @Query() q: SignedUploadQueryDto,
  ): Promise<UploadedFileDto> {
    return this.signedUpload(req, q);
  }

  @Post('upload/signed')
  @HttpCode(201)
  @DataRoute('get')
  @AcceptsBody('application/octet-stream', 'multipart/form-data')
  @ApiOperation({ summary: 'Upload by signed URL (POST form of the PUT)' })
  @ApiCreatedResponse({ type: UploadedFileDto })
  async signedPost(
    @Req() req: DataRequest,
    @Query() q: SignedUploadQueryDto,
  ): Promise<UploadedFileDto> {
    return this.signedUpload(req, q);
  }

  private async signedUpload(req: DataRequest, q: SignedUploadQueryDto): Promise<UploadedFileDto> {
    const a = access(req);
    let grant;
    try {
      grant = this.files.grantFor(a.projectId, q.token);
    } catch (err) {
      req.raw.resume();
      throw err;
    }
    const row = req.isMultipart()
      ? await this.files.uploadMultipart(a, req, grant)
      : await this.files.uploadRaw(a, req, grant);
    return this.files.uploadedDto(row);
  }

  @Get()
  @DataRoute('list')
  @ApiOperation({
    summary:
      'List files, newest first (member admins: all; others: what bucket read policies allow)',
  })
  @ApiOkResponse({ type: [FileDto] })
  list(@Req() req: DataRequest, @Query() q: FileListQueryDto): Promise<FileDto[]> {
    return this.files.list(access(req), q);
  }

  @Get('stats')
  @ApiOperation({ summary: 'File count and bytes of the project (member admins)' })
  @ApiOkResponse({ type: StatsDto })
  stats(@Req() req: DataRequest): Promise<StatsDto> {
    requireAdmin(access(req), 'viewer');
    return this.files.stats(access(req).projectId);
  }

  @Get('orphans')
  @ApiOperation({
    summary: 'Maintenance: file rows without objects and objects without rows (admin members)',
  })
  @ApiOkResponse({ type: OrphansDto })
  orphans(@Req() req: DataRequest): Promise<OrphansDto> {
    requireAdmin(access(req), 'admin');
    return this.files.orphans(access(req).projectId);
  }

  @Get(':fileId')
  @ApiOkResponse({ type: FileDto })
  get(@Req() req: DataRequest, @Param('fileId') id: string): Promise<FileDto> {
    return this.files.get(access(req), id);
  }

  @Delete(':fileId')
  @HttpCode(204)
  @DataRoute('delete')
  @ApiNoContentResponse()
  async delete(@Req() req: DataRequest, @Param('fileId') id: string): Promise<void> {
    await this.files.delete(access(req), id);
  }

  @Post(':fileId/signed-url')
  @DataRoute('get')
  @ApiOperation({
    summary: 'A download URL that works without credentials until it expires (HMAC-signed)',
    description:
      'Optional width/height/fit/format sign an image variant of any size. Tampered URLs answer 403 SIGNED_URL_INVALID, expired ones 403 SIGNED_URL_EXPIRED.',
  })
  @ApiCreatedResponse({ type: SignedUrlResultDto })
  signedUrl(
    @Req() req: DataRequest,
    @Param('fileId') id: string,
    @Body() dto: SignedUrlDto,
  ): Promise<SignedUrlResultDto> {
    return this.files.signedUrl(access(req), id, dto);
  }

  @Get(':fileId/download')
  @ApiOperation({
    summary: 'Download (streamed; Range → 206, If-None-Match → 304)',
    description:
      'Public files and buckets: anyone. Private: member admins, callers the bucket read policy allows, or a signed URL. ' +
      `Image variants: width/height from ${PRESET_SIZES.join(', ')}, fit, format=webp|avif|jpeg; other sizes need a signed URL.`,
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The bytes' })
  async download(
    @Req() req: DataRequest,
    @Res() reply: FastifyReply,
    @Param('fileId') id: string,
    @Query() q: DownloadQueryDto,
  ): Promise<void> {
    const answer = await this.files.download(access(req), id, q, {
      range: req.headers.range,
      ifNoneMatch: req.headers['if-none-match'],
    });
    reply.status(answer.status).headers(answer.headers);
    if (answer.body) await reply.send(answer.body);
    else await reply.send();
  }
}
