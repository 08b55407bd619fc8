import { Controller, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataRoute } from '../../common/auth/data-verb.decorator';
import type { AccessContext } from '../access/access-context';
import { DataAccessGuard, type DataRequest } from '../records/data-access.guard';
import { WorkflowsService } from './workflows.service';

/**
 * Functions: a workflow with an `http` trigger, called by apps like a data route (the same
 * principal resolution and CORS), limited to the principals its `allowed_principals` names.
 */
@ApiTags('functions')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('projects/:projectId/functions')
@UseGuards(DataAccessGuard)
export class FunctionsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post(':slug')
  // Member admins need the developer role: a function runs steps that write.
  @DataRoute('create')
  @HttpCode(200)
  @ApiOperation({
    summary: "Call a function: the JSON body is `{{input}}`; answers the last step's output",
    description:
      'With `async: true` (or when the run outlasts WORKFLOW_FUNCTION_TIMEOUT_MS) the answer is 202 `{run_id, status}`. A failed run is 502 `FUNCTION_FAILED` with its `run_id`.',
  })
  @ApiBody({ schema: { type: 'object', additionalProperties: true }, required: false })
  @ApiOkResponse({ description: "The last step's output" })
  @ApiAcceptedResponse({ description: '{run_id, status}' })
  @ApiForbiddenResponse({ description: 'The caller is not in allowed_principals' })
  @ApiNotFoundResponse({ description: 'No active function has this slug' })
  @ApiResponse({ status: 502, description: 'problem+json FUNCTION_FAILED with run_id' })
  async call(
    @Req() req: DataRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('slug') slug: string,
  ): Promise<unknown> {
    const answer = await this.workflows.invoke(req.access as AccessContext, slug, req.body);
    reply.status(answer.status);
    if (answer.status === 502) reply.header('content-type', 'application/problem+json');
    // A bare string or number is still sent as JSON.
    if (answer.body === null || typeof answer.body !== 'object') {
      reply.header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify(answer.body);
    }
    return answer.body;
  }
}
