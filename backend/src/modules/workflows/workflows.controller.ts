import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import {
  CreateWorkflowDto,
  CronPreviewDto,
  CronPreviewResultDto,
  PutSecretDto,
  RunDetailDto,
  RunsPageDto,
  RunsQueryDto,
  RunStartedDto,
  RunWorkflowDto,
  SecretDto,
  UpdateWorkflowDto,
  WorkflowDto,
} from './dto/workflow.dto';
import { WorkflowsService } from './workflows.service';

const uuid = new ParseUUIDPipe({ version: undefined });

/** Workflows of a project: viewers read, developers and above write and run (DESIGN §5). */
@ApiTags('workflows')
@Controller('projects/:projectId/workflows')
@ProjectAdminRoute()
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a workflow (trigger + steps, checked at save)',
    description:
      'Unknown actions, missing keys, bad cron/timezone, unknown collections, bad conditions, templates naming later steps, branch indexes out of range and duplicate function slugs are 400 VALIDATION_FAILED with `errors[].field` such as `steps[2].url`.',
  })
  @ApiCreatedResponse({ type: WorkflowDto })
  @ApiBadRequestResponse({ description: 'The definition does not hold' })
  create(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: CreateWorkflowDto,
  ): Promise<WorkflowDto> {
    return this.workflows.create(projectId, admin.userId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Workflows of the project (a plain array, as the original)' })
  @ApiOkResponse({ type: [WorkflowDto] })
  list(@Param('projectId') projectId: string): Promise<WorkflowDto[]> {
    return this.workflows.list(projectId);
  }

  @Post('cron-preview')
  @HttpCode(200)
  @RequireProjectRole('viewer')
  @ApiOperation({ summary: 'The next five times of a cron line in a time zone' })
  @ApiOkResponse({ type: CronPreviewResultDto })
  @ApiBadRequestResponse({ description: 'Bad cron (5 fields) or unknown time zone' })
  cronPreview(@Body() dto: CronPreviewDto): CronPreviewResultDto {
    return this.workflows.cronPreview(dto.cron, dto.timezone);
  }

  @Get('secrets')
  @ApiOperation({ summary: 'Secret names for `{{env.NAME}}` (values are never returned)' })
  @ApiOkResponse({ type: [SecretDto] })
  secrets(@Param('projectId') projectId: string): Promise<SecretDto[]> {
    return this.workflows.listSecrets(projectId);
  }

  @Put('secrets/:name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a secret (NAME: ^[A-Z][A-Z0-9_]{0,63}$), stored encrypted' })
  @ApiNoContentResponse()
  async putSecret(
    @Param('projectId') projectId: string,
    @Param('name') name: string,
    @Body() dto: PutSecretDto,
  ): Promise<void> {
    await this.workflows.putSecret(projectId, name, dto.value);
  }

  @Delete('secrets/:name')
  @HttpCode(204)
  @ApiNoContentResponse()
  async deleteSecret(
    @Param('projectId') projectId: string,
    @Param('name') name: string,
  ): Promise<void> {
    await this.workflows.deleteSecret(projectId, name);
  }

  @Get(':workflowId')
  @ApiOkResponse({ type: WorkflowDto })
  get(
    @Param('projectId') projectId: string,
    @Param('workflowId', uuid) id: string,
  ): Promise<WorkflowDto> {
    return this.workflows.get(projectId, id);
  }

  @Patch(':workflowId')
  @ApiOperation({ summary: 'Change a workflow; the whole definition is checked again' })
  @ApiOkResponse({ type: WorkflowDto })
  update(
    @Param('projectId') projectId: string,
    @Param('workflowId', uuid) id: string,
    @Body() dto: UpdateWorkflowDto,
  ): Promise<WorkflowDto> {
    return this.workflows.update(projectId, id, dto);
  }

  @Delete(':workflowId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its runs' })
  async remove(
    @Param('projectId') projectId: string,
    @Param('workflowId', uuid) id: string,
  ): Promise<void> {
    await this.workflows.remove(projectId, id);
  }

  @Post(':workflowId/run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a run now with `input` (manual or test run, any trigger)' })
  @ApiAcceptedResponse({ type: RunStartedDto })
  run(
    @Param('projectId') projectId: string,
    @Param('workflowId', uuid) id: string,
    @Body() dto: RunWorkflowDto,
  ): Promise<RunStartedDto> {
    return this.workflows.run(projectId, id, dto?.input);
  }

  @Get(':workflowId/runs')
  @ApiOperation({ summary: 'Runs, newest first (without steps)' })
  @ApiOkResponse({ type: RunsPageDto })
  runs(
    @Param('projectId') projectId: string,
    @Param('workflowId', uuid) id: string,
    @Query() q: RunsQueryDto,
  ): Promise<RunsPageDto> {
    return this.workflows.runs(projectId, id, q);
  }

  @Get(':workflowId/runs/:runId')
  @ApiOperation({ summary: 'One run with every step: input, output, error, attempts' })
  @ApiOkResponse({ type: RunDetailDto })
  runDetail(
    @Param('projectId') projectId: string,
    @Param('workflowId', uuid) id: string,
    @Param('runId', uuid) runId: string,
  ): Promise<RunDetailDto> {
    return this.workflows.runDetail(projectId, id, runId);
  }

  @Post(':workflowId/runs/:runId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop a run: no further step starts' })
  @ApiOkResponse({ type: RunDetailDto })
  @ApiConflictResponse({ description: 'The run has already finished' })
  cancel(
    @Param('projectId') projectId: string,
    @Param('workflowId', uuid) id: string,
    @Param('runId', uuid) runId: string,
  ): Promise<RunDetailDto> {
    return this.workflows.cancel(projectId, id, runId);
  }

  @Post(':workflowId/runs/:runId/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a failed run at its failed step' })
  @ApiOkResponse({ type: RunDetailDto })
  @ApiConflictResponse({ description: 'The run has not failed' })
  retry(
    @Param('projectId') projectId: string,
    @Param('workflowId', uuid) id: string,
    @Param('runId', uuid) runId: string,
  ): Promise<RunDetailDto> {
    return this.workflows.retry(projectId, id, runId);
  }
}
