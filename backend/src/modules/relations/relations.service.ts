import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import {
  SYSTEM_COLUMNS,
  type FieldMeta,
  type OnDeleteAction,
} from '../../schema-engine/catalog.types';
import { identifierProblem } from '../../schema-engine/identifiers';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogCollection, ProjectCatalog } from '../catalog/catalog.types';
import { SchemaChangeService } from '../catalog/schema-change.service';
import { FieldsService } from '../fields/fields.service';
import type {
  CreatableRelationType,
  CreateDocumentedRelationDto,
  CreateRelationDto,
  RelationOptionsResponseDto,
  RelationResponseDto,
  ReverseRelationResponseDto,
} from './dto/relation.dto';
import { humanize } from '../../common/util/display-name';

const JUNCTION_SOURCE = 'source_id';
const JUNCTION_TARGET = 'target_id';

const isRelation = (f: FieldMeta) =>
  f.type === 'relation' &&
  !!f.relation &&
  (f.relation.kind === 'many_to_one' || f.relation.kind === 'many_to_many');

/** Every table name in the project schema the catalog knows: collection tables and junctions. */
export function tablesInSchema(catalog: ProjectCatalog): Set<string> {
  const names = new Set<string>();
  for (const c of catalog.byId.values()) {
    names.add(c.meta.table);
    for (const f of c.meta.fields)
      if (f.relation?.junctionTable) names.add(f.relation.junctionTable);
  }
  return names;
}

const invalid = (field: string, message: string) =>
  AppError.validation(message, [{ field, rule: 'invalid', message }]);

export const RELATION_OPTIONS: RelationOptionsResponseDto = {
  relation_types: [
    {
      value: 'many_to_one',
      label: 'Many to One',
      description:
        'Each record links to one record of the target collection (adds a <name>_id column with a foreign key)',
    },
    {
      value: 'many_to_many',
      label: 'Many to Many',
      description:
        'Records link to any number of target records through a junction table with two foreign keys',
    },
  ],
  on_delete_actions: [
    {
      value: 'RESTRICT',
      label: 'Restrict',
      description: 'Prevent deleting a target record while records link to it',
    },
    {
      value: 'CASCADE',
      label: 'Cascade',
      description: 'Delete the linking records when the target record is deleted',
    },
    {
      value: 'SET NULL',
      label: 'Set Null',
      description:
        'Clear the link when the target record is deleted (the relation must be optional)',
    },
  ],
};

@Injectable()
export class RelationsService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly schema: SchemaChangeService,
    private readonly fields: FieldsService,
  ) {}

  toDto(catalog: ProjectCatalog, c: CatalogCollection, f: FieldMeta): RelationResponseDto {
    const rel = f.relation!;
    const rec = c.fieldRecords.get(f.id);
    return {
      id: f.id,
      collection_id: c.meta.id,
      collection_name: c.meta.name,
      name: f.name,
      display_name: f.displayName,
      field_type: 'relation',
      sql_column_name: rel.kind === 'many_to_one' ? f.column : null,
      is_required: f.isRequired,
      relation_target_collection_id: rel.targetCollectionId,
      relation_type: rel.kind,
      relation_on_delete: rel.onDelete,
      relation_display_field: rel.displayField,
      target_collection_name: catalog.byId.get(rel.targetCollectionId)?.meta.name ?? '',
      junction_table: rel.junctionTable ?? null,
      created_at: (rec?.createdAt ?? new Date(0)).toISOString(),
      updated_at: (rec?.updatedAt ?? new Date(0)).toISOString(),
    };
  }

  async create(
    projectId: string,
    actorUserId: string,
    collectionId: string,
    dto: CreateRelationDto,
  ): Promise<RelationResponseDto> {
    const catalog = await this.catalog.project(projectId);
    const source = catalog.byId.get(collectionId);
    if (!source) throw AppError.notFound('Collection');
    const target = catalog.byId.get(dto.target_collection_id);
    if (!target) throw invalid('target_collection_id', 'Target collection not found');
    const kind: CreatableRelationType = dto.relation_type ?? 'many_to_one';
    const onDelete: OnDeleteAction =
      kind === 'many_to_many' ? 'CASCADE' : (dto.on_delete ?? 'RESTRICT');
    const isRequired = dto.is_required ?? false;

    const problem = identifierProblem(dto.name);
    if (problem) throw invalid('name', `Invalid field name: ${dto.name} (${problem})`);
    if (kind === 'many_to_many' && isRequired) {
      throw invalid('is_required', 'A many_to_many relation cannot be required');
    }
    if (onDelete === 'SET NULL' && isRequired) {
      throw invalid(
        'on_delete',
        'on_delete SET NULL needs an optional relation (is_required false)',
      );
    }
    if (dto.display_field !== undefined && dto.display_field !== null) {
      const known =
        dto.display_field === 'id' ||
        target.meta.fields.some(
          (f) => f.name === dto.display_field && !f.isDeleted && !(f.isSystem && f.isHidden),
        );
      if (!known) {
        throw invalid(
          'display_field',
          `display_field '${dto.display_field}' is not a field of ${target.meta.name}`,
        );
      }
    }

    const column = kind === 'many_to_one' ? `${dto.name}_id` : dto.name;
    if (identifierProblem(column)) {
      throw invalid('name', `Invalid field name: ${dto.name} (the column ${column} is too long)`);
    }
    for (const name of new Set([dto.name, column])) {
      if ((SYSTEM_COLUMNS as readonly string[]).includes(name)) {
        throw invalid('name', `'${name}' is a system column of every collection`);
      }
      const clash = source.meta.fields.find((f) => f.name === name || f.column === name);
      if (clash) {
        throw AppError.conflict(
          `A field named '${clash.name}' already uses '${name}' in ${source.meta.name}${clash.isDeleted ? ' (soft-deleted; restore or hard-delete it first)' : ''}`,
        );
      }
    }

    const field: FieldMeta = {
      id: randomUUID(),
      name: dto.name,
      displayName: dto.display_name ?? humanize(dto.name),
      column,
      type: 'relation',
      options: {},
      isRequired,
      isUnique: false,
      isIndexed: kind === 'many_to_one',
      isHidden: false,
      isSystem: false,
      isDeleted: false,
      defaultValue: null,
      relation: {
        kind,
        targetCollectionId: target.meta.id,
        onDelete,
        displayField: dto.display_field ?? null,
      },
    };
    if (kind === 'many_to_many') {
      const junction = `${source.meta.table.replace(/^_+/, '')}_${dto.name}`;
      const jp = identifierProblem(junction);
      if (jp) {
        throw invalid(
          'name',
          `The junction table name '${junction}' is not a valid identifier: ${jp}; choose a shorter name`,
        );
      }
      if (tablesInSchema(catalog).has(junction)) {
        throw AppError.conflict(`A table named '${junction}' already exists in this project`);
      }
      field.relation = {
        ...field.relation!,
        junctionTable: junction,
        junctionSourceColumn: JUNCTION_SOURCE,
        junctionTargetColumn: JUNCTION_TARGET,
      };
    }

    await this.schema.apply({
      projectId,
      actorUserId,
      collectionId: source.meta.id,
      before: source.meta,
      after: { ...source.meta, fields: [...source.meta.fields, field] },
      writeMetadata: async (_client, meta) => {
        await meta.insertField(source.meta.id, field);
        await meta.deleteAliasesNamed(source.meta.id, field.name);
      },
    });
    const fresh = await this.catalog.project(projectId);
    const c = fresh.byId.get(source.meta.id)!;
    return this.toDto(
      fresh,
      c,
      c.meta.fields.find((f) => f.id === field.id)!,
    );
  }

  /** The documented `{source_collection, target_collection, relation_type, source_field}` form. */
  async createDocumented(
    projectId: string,
    actorUserId: string,
    dto: CreateDocumentedRelationDto,
  ): Promise<RelationResponseDto> {
    const catalog = await this.catalog.project(projectId);
    const find = (ref: string, what: string) => {
      const c = catalog.byName.get(ref) ?? catalog.byId.get(ref);
      if (!c) {
        if (what === 'source_collection') throw AppError.notFound('Collection');
        throw invalid(what, 'Target collection not found');
      }
      return c;
    };
    const source = find(dto.source_collection, 'source_collection');
    const target = find(dto.target_collection, 'target_collection');
    const common = {
      display_name: dto.display_name,
      on_delete: dto.on_delete,
      display_field: dto.display_field,
      is_required: dto.is_required,
    };
    if (dto.relation_type === 'has_many') {
      const name = dto.source_field ?? source.meta.name.replace(/^_+/, '');
      return this.create(projectId, actorUserId, target.meta.id, {
        ...common,
        name,
        target_collection_id: source.meta.id,
        relation_type: 'many_to_one',
      });
    }
    return this.create(projectId, actorUserId, source.meta.id, {
      ...common,
      name: dto.source_field ?? target.meta.name.replace(/^_+/, ''),
      target_collection_id: target.meta.id,
      relation_type: dto.relation_type === 'many_to_many' ? 'many_to_many' : 'many_to_one',
    });
  }

  async list(projectId: string, collectionId: string): Promise<RelationResponseDto[]> {
    const catalog = await this.catalog.project(projectId);
    const c = catalog.byId.get(collectionId);
    if (!c) throw AppError.notFound('Collection');
    return c.meta.fields
      .filter((f) => isRelation(f) && !f.isDeleted)
      .map((f) => this.toDto(catalog, c, f));
  }

  async listAll(projectId: string): Promise<RelationResponseDto[]> {
    const catalog = await this.catalog.project(projectId);
    return [...catalog.byId.values()].flatMap((c) =>
      c.meta.fields
        .filter((f) => isRelation(f) && !f.isDeleted)
        .map((f) => this.toDto(catalog, c, f)),
    );
  }

  /** The one_to_many (and many_to_many) views of relations that point at this collection. */
  async reverse(projectId: string, collectionId: string): Promise<ReverseRelationResponseDto[]> {
    const catalog = await this.catalog.project(projectId);
    if (!catalog.byId.has(collectionId)) throw AppError.notFound('Collection');
    const out: ReverseRelationResponseDto[] = [];
    for (const c of catalog.byId.values()) {
      for (const f of c.meta.fields) {
        if (!isRelation(f) || f.isDeleted || f.relation!.targetCollectionId !== collectionId)
          continue;
        const m2m = f.relation!.kind === 'many_to_many';
        out.push({
          id: f.id,
          name: f.name,
          display_name: f.displayName,
          source_collection_id: c.meta.id,
          source_collection_name: c.meta.name,
          relation_type: m2m ? 'many_to_many' : 'one_to_many',
          sql_column_name: m2m ? null : f.column,
          reverse_name: `${c.meta.name}_via_${f.name}`,
          junction_table: f.relation!.junctionTable ?? null,
        });
      }
    }
    return out;
  }

  options(): RelationOptionsResponseDto {
    return RELATION_OPTIONS;
  }

  /** Drops the relation's FK and column (many_to_one) or its junction table (many_to_many). */
  async delete(
    projectId: string,
    actorUserId: string,
    relationId: string,
    collectionId?: string,
  ): Promise<void> {
    const catalog = await this.catalog.project(projectId);
    if (collectionId !== undefined && !catalog.byId.has(collectionId)) {
      throw AppError.notFound('Collection');
    }
    for (const c of catalog.byId.values()) {
      if (collectionId !== undefined && c.meta.id !== collectionId) continue;
      const f = c.meta.fields.find((x) => x.id === relationId && isRelation(x));
      if (f) return this.fields.hardDelete(projectId, actorUserId, c, f);
    }
    throw AppError.notFound('Relation');
  }
}
