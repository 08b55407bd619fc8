import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import type { DataPrincipal } from '../access/access-context';
import { CatalogService } from '../catalog/catalog.service';
import { ProjectsService } from '../projects/projects.service';
import { generateTypes } from './types-generator';

@Injectable()
export class TypesService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly projects: ProjectsService,
  ) {}

  /**
   * The project's TypeScript types. They describe the whole schema, so only members and service
   * keys get them (an app user or a public key would learn collections it may not read).
   */
  async typescript(projectId: string, principal: DataPrincipal): Promise<string> {
    const allowed =
      principal.kind === 'admin' ||
      (principal.kind === 'api_key' && principal.keyKind === 'service');
    if (!allowed) {
      throw AppError.forbidden('Types are for project members and service API keys');
    }
    const [catalog, project] = await Promise.all([
      this.catalog.project(projectId),
      this.projects.nameOf(projectId),
    ]);
    return generateTypes({
      projectId,
      projectName: project,
      collections: [...catalog.byId.values()].map((c) => ({
        meta: c.meta,
        description: c.record.description,
      })),
      generatedAt: new Date().toISOString(),
    });
  }
}
