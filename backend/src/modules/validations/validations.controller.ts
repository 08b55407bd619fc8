import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { ParseUuidPipe } from '../../common/pipes/parse-uuid.pipe';
import {
  CreateRuleDto,
  RuleResponseDto,
  RuleTypesResponseDto,
  UpdateRuleDto,
  ValidatePayloadDto,
  ValidateResultDto,
} from './dto/validation-rule.dto';
import { ValidationsService } from './validations.service';

@ApiTags('validations')
@Controller('projects/:projectId/validations')
@ProjectAdminRoute()
export class ValidationsController {
  constructor(private readonly validations: ValidationsService) {}

  @Get('rule-types')
  @ApiOkResponse({ type: RuleTypesResponseDto })
  ruleTypes(): RuleTypesResponseDto {
    return this.validations.ruleTypes();
  }

  @Post('collections/:collectionName/fields/:fieldName/rules')
  @ApiCreatedResponse({ type: RuleResponseDto })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED: bad config; a regex RE2 cannot run (lookaround, backreferences) or over the limits (512 characters, {n,m} counts up to 1000, 2500 compiled instructions); a field already holding 20 rules',
  })
  create(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Param('fieldName') fieldName: string,
    @Body() dto: CreateRuleDto,
  ): Promise<RuleResponseDto> {
    return this.validations.create(projectId, collectionName, fieldName, dto);
  }

  @Get('collections/:collectionName/fields/:fieldName/rules')
  @ApiOkResponse({ type: [RuleResponseDto] })
  @ApiQuery({
    name: 'include_inactive',
    required: false,
    description: 'default false (as the original)',
  })
  list(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Param('fieldName') fieldName: string,
    @Query('include_inactive') includeInactive?: string,
  ): Promise<RuleResponseDto[]> {
    return this.validations.list(projectId, collectionName, fieldName, includeInactive === 'true');
  }

  @Post('collections/:collectionName/validate')
  @HttpCode(200)
  @ApiOkResponse({ type: ValidateResultDto, description: '200 whether or not the payload passes' })
  validate(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Body() dto: ValidatePayloadDto,
  ): Promise<ValidateResultDto> {
    return this.validations.validatePayload(projectId, collectionName, dto);
  }

  @Get('rules/:ruleId')
  @ApiOkResponse({ type: RuleResponseDto })
  get(
    @Param('projectId') projectId: string,
    @Param('ruleId', ParseUuidPipe) ruleId: string,
  ): Promise<RuleResponseDto> {
    return this.validations.get(projectId, ruleId);
  }

  @Patch('rules/:ruleId')
  @ApiOkResponse({ type: RuleResponseDto })
  update(
    @Param('projectId') projectId: string,
    @Param('ruleId', ParseUuidPipe) ruleId: string,
    @Body() dto: UpdateRuleDto,
  ): Promise<RuleResponseDto> {
    return this.validations.update(projectId, ruleId, dto);
  }

  @Delete('rules/:ruleId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(
    @Param('projectId') projectId: string,
    @Param('ruleId', ParseUuidPipe) ruleId: string,
  ): Promise<void> {
    await this.validations.delete(projectId, ruleId);
  }
}
