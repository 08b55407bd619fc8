import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import { BucketDto, CreateBucketDto, DeleteBucketQueryDto, UpdateBucketDto } from './dto/files.dto';
import { FilesService } from './files.service';

@ApiTags('files')
@Controller('projects/:projectId/files/buckets')
@ProjectAdminRoute()
export class BucketsController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @RequireProjectRole('admin')
  @ApiOperation({ summary: 'Create a bucket (admin members)' })
  @ApiCreatedResponse({ type: BucketDto })
  @ApiConflictResponse({ description: 'A bucket of that name exists' })
  create(@Param('projectId') projectId: string, @Body() dto: CreateBucketDto): Promise<BucketDto> {
    return this.files.createBucket(projectId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Buckets of the project, with file counts and bytes' })
  @ApiOkResponse({ type: [BucketDto] })
  list(@Param('projectId') projectId: string): Promise<BucketDto[]> {
    return this.files.listBuckets(projectId);
  }

  @Get(':name')
  @ApiOkResponse({ type: BucketDto })
  get(@Param('projectId') projectId: string, @Param('name') name: string): Promise<BucketDto> {
    return this.files.getBucket(projectId, name);
  }

  @Patch(':name')
  @RequireProjectRole('admin')
  @ApiOperation({ summary: 'Change settings or replace the policies of a bucket' })
  @ApiOkResponse({ type: BucketDto })
  update(
    @Param('projectId') projectId: string,
    @Param('name') name: string,
    @Body() dto: UpdateBucketDto,
  ): Promise<BucketDto> {
    return this.files.updateBucket(projectId, name, dto);
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireProjectRole('admin')
  @ApiOperation({ summary: 'Delete a bucket; one with files needs ?force=true (deletes them)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'The bucket holds files and force is not set' })
  async delete(
    @Param('projectId') projectId: string,
    @Param('name') name: string,
    @Query() q: DeleteBucketQueryDto,
  ): Promise<void> {
    await this.files.deleteBucket(projectId, name, q.force === 'true' || q.force === '1');
  }
}
