import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import type { RecordAction } from '../access/access-context';
import {
  CreatePolicyDto,
  ExplainQueryDto,
  PolicyResponseDto,
  UpdatePolicyDto,
} from './dto/policy.dto';
import { PoliciesAdminService } from './policies-admin.service';
import { PolicyExplainService, type ExplainResult } from './policy-explain.service';

@ApiTags('schema: policies')
@Controller('projects/:projectId/schema/collections/:collectionName/policies')
@ProjectAdminRoute()
export class PoliciesController {
  constructor(
    private readonly policies: PoliciesAdminService,
    private readonly explainer: PolicyExplainService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: PolicyResponseDto })
  create(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Body() dto: CreatePolicyDto,
  ): Promise<PolicyResponseDto> {
    return this.policies.create(projectId, collectionName, dto);
  }

  @Get()
  @ApiOkResponse({ type: [PolicyResponseDto] })
  @ApiQuery({
    name: 'include_inactive',
    required: false,
    description: 'default false (as the original)',
  })
  list(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Query('include_inactive') includeInactive?: string,
  ): Promise<PolicyResponseDto[]> {
    return this.policies.list(projectId, collectionName, includeInactive === 'true');
  }

  @Get('explain')
  @ApiOkResponse({
    description: 'Which policy decides, why earlier ones were skipped, and the row filter',
  })
  explain(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Query() query: ExplainQueryDto,
  ): Promise<ExplainResult> {
    return this.explainer.explain(
      projectId,
      collectionName,
      query.action as RecordAction,
      query.as ?? 'anonymous',
    );
  }

  @Get(':policyId')
  @ApiOkResponse({ type: PolicyResponseDto })
  get(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Param('policyId') policyId: string,
  ): Promise<PolicyResponseDto> {
    return this.policies.get(projectId, collectionName, policyId);
  }

  @Patch(':policyId')
  @ApiOkResponse({ type: PolicyResponseDto })
  update(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Param('policyId') policyId: string,
    @Body() dto: UpdatePolicyDto,
  ): Promise<PolicyResponseDto> {
    return this.policies.update(projectId, collectionName, policyId, dto);
  }

  @Delete(':policyId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Param('policyId') policyId: string,
  ): Promise<void> {
    await this.policies.delete(projectId, collectionName, policyId);
  }
}
