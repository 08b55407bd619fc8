import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import {
  RealtimeService,
  type RealtimeConnectionInfo,
  type RealtimeStats,
} from './realtime.service';

/** The realtime inspector: who is connected to this API process, and how far behind they are. */
@ApiTags('realtime')
@Controller('projects/:projectId/realtime')
@ProjectAdminRoute()
export class RealtimeController {
  constructor(private readonly realtime: RealtimeService) {}

  /** The project's sockets on the process that answers (each process lists its own). */
  @Get('connections')
  @RequireProjectRole('developer')
  @ApiOkResponse({ description: '{process, connections:[{id, principal, subscriptions, …}]}' })
  connections(@Param('projectId') projectId: string): {
    process: RealtimeStats;
    connections: RealtimeConnectionInfo[];
  } {
    return {
      process: this.realtime.stats(projectId),
      connections: this.realtime.listConnections(projectId),
    };
  }
}
