import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import { identifierProblem } from '../../schema-engine/identifiers';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogCollection, CollectionMeta } from '../catalog/catalog.types';
import { SchemaChangeService } from '../catalog/schema-change.service';
import type {
  CollectionResponseDto,
  CreateCollectionDto,
  UpdateCollectionDto,
} from './dto/collection.dto';
import { humanize } from '../../common/util/display-name';
import { DataViews } from '../records/data-views';

export function toCollectionDto(c: CatalogCollection): CollectionResponseDto {
  const r = c.record;
  return {
    id: r.id,
    name: r.name,
    display_name: r.displayName,
    description: r.description,
    icon: r.icon,
    display_field: r.displayField,
    sql_table_name: r.sqlTableName,
    is_active: r.isActive,
    is_system: r.isSystem,
    field_count: c.meta.fields.filter((f) => !f.isDeleted && !(f.isSystem && f.isHidden)).length,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

export function assertCollectionName(name: string): void {
  const problem = identifierProblem(name);
  if (problem) {
    throw AppError.validation(`Invalid collection name '${name}': ${problem}`, [
      { field: 'name', rule: 'identifier', message: `Collection name ${problem}` },
    ]);
  }
}

@Injectable()
export class CollectionsService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly schema: SchemaChangeService,
    private readonly views: DataViews,
  ) {}

  async create(
    projectId: string,
    actorUserId: string,
    dto: CreateCollectionDto,
  ): Promise<CollectionResponseDto> {
    assertCollectionName(dto.name);
    const catalog = await this.catalog.project(projectId);
    if (catalog.byName.has(dto.name))
      throw AppError.conflict('Collection with this name already exists');
    // `/data/{name}` reads a view of that name: the two must not share it.
    if (await this.views.find(projectId, dto.name))
      throw AppError.nameTaken(
        `A view named '${dto.name}' exists; a collection is read at /data/{name}, so names must differ`,
        'name',
      );
    const id = randomUUID();
    const after: CollectionMeta = {
      id,
      projectId,
      name: dto.name,
      displayName: dto.display_name ?? humanize(dto.name),
      schema: catalog.schema,
      table: dto.name,
      isSystem: false,
      idType: 'bigint',
      fields: [],
    };
    await this.schema.apply({
      projectId,
      actorUserId,
      collectionId: null,
      before: null,
      after,
      writeMetadata: async (_client, meta) => {
        await meta.insertCollection({
          id,
          name: dto.name,
          displayName: after.displayName,
          description: dto.description ?? null,
          icon: dto.icon ?? null,
          sqlTableName: dto.name,
          isSystem: false,
        });
        await meta.deleteAliasesNamed(null, dto.name);
      },
    });
    return toCollectionDto(await this.catalog.collectionById(projectId, id));
  }

  async list(projectId: string): Promise<CollectionResponseDto[]> {
    const catalog = await this.catalog.project(projectId);
    return [...catalog.byName.values()].map(toCollectionDto);
  }

  async get(projectId: string, name: string): Promise<CollectionResponseDto> {
    return toCollectionDto(await this.catalog.collectionByName(projectId, name));
  }

  async update(
    projectId: string,
    name: string,
    dto: UpdateCollectionDto,
  ): Promise<CollectionResponseDto> {
    const c = await this.catalog.collectionByName(projectId, name);
    if (dto.display_field) {
      const f = c.meta.fields.find(
        (x) => x.name === dto.display_field && !x.isDeleted && !x.isHidden,
      );
      if (!f) {
        throw AppError.validation(`Unknown field: ${dto.display_field}`, [
          {
            field: 'display_field',
            rule: 'exists',
            message: `Unknown field: ${dto.display_field}`,
          },
        ]);
      }
    }
    await this.schema.apply({
      projectId,
      actorUserId: null,
      collectionId: c.meta.id,
      before: c.meta,
      after: { ...c.meta, displayName: dto.display_name ?? c.meta.displayName },
      writeMetadata: (_client, meta) =>
        meta.updateCollection(c.meta.id, {
          displayName: dto.display_name,
          description: dto.description,
          icon: dto.icon,
          displayField: dto.display_field,
        }),
    });
    return toCollectionDto(await this.catalog.collectionById(projectId, c.meta.id));
  }

  /** Drops the table; the name must be repeated as confirmation. System collections are protected. */
  async delete(
    projectId: string,
    actorUserId: string,
    name: string,
    confirm: string | undefined,
  ): Promise<void> {
    const c = await this.catalog.collectionByName(projectId, name);
    if (c.meta.isSystem)
      throw AppError.badRequest(
        `Collection '${name}' is a system collection and cannot be deleted`,
      );
    if (confirm !== name) {
      throw AppError.validation('Repeat the collection name in ?confirm= to delete it', [
        { field: 'confirm', rule: 'equals', message: `confirm must equal '${name}'` },
      ]);
    }
    const catalog = await this.catalog.project(projectId);
    const referencing = [...catalog.byId.values()].filter(
      (other) =>
        other.meta.id !== c.meta.id &&
        other.meta.fields.some((f) => f.relation?.targetCollectionId === c.meta.id && !f.isDeleted),
    );
    if (referencing.length) {
      throw AppError.conflict(
        `Collection '${name}' is the target of relations in: ${referencing.map((r) => r.meta.name).join(', ')}. Delete those relations first.`,
      );
    }
    await this.schema.apply({
      projectId,
      actorUserId,
      collectionId: c.meta.id,
      before: c.meta,
      after: null,
      writeMetadata: (_client, meta) => meta.deleteCollection(c.meta.id),
    });
  }
}
