import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import type { FieldMeta } from '../../schema-engine/catalog.types';
import { getFieldType, normalizeFieldTypeName } from '../../schema-engine/field-types/registry';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogCollection } from '../catalog/catalog.types';
import { SchemaChangeService } from '../catalog/schema-change.service';
import type { CreateFieldDto, FieldResponseDto, UpdateFieldDto } from './dto/field.dto';
import { assertFreeFieldName, castDefault, checkOptions, findField } from './field-rules';
import { humanize } from '../../common/util/display-name';

export function toFieldDto(c: CatalogCollection, f: FieldMeta): FieldResponseDto {
  const rec = c.fieldRecords.get(f.id);
  return {
    id: f.id,
    collection_id: c.meta.id,
    name: f.name,
    display_name: f.displayName,
    description: rec?.description ?? null,
    field_type: f.type,
    sql_column_name: f.column,
    options: f.options,
    is_required: f.isRequired,
    is_unique: f.isUnique,
    is_indexed: f.isIndexed,
    default_value: f.defaultValue,
    is_system: f.isSystem,
    is_hidden: f.isHidden,
    is_deleted: f.isDeleted,
    deleted_at: rec?.deletedAt ? rec.deletedAt.toISOString() : null,
    relation_target_collection_id: f.relation?.targetCollectionId ?? null,
    relation_type: f.relation?.kind ?? null,
    relation_on_delete: f.relation?.onDelete ?? null,
    relation_display_field: f.relation?.displayField ?? null,
    created_at: (rec?.createdAt ?? new Date(0)).toISOString(),
    updated_at: (rec?.updatedAt ?? new Date(0)).toISOString(),
  };
}

/** System secrets (the `_users` password hash) are never listed, not even to admins. */
const isSecret = (f: FieldMeta) => f.isSystem && f.isHidden;

@Injectable()
export class FieldsService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly schema: SchemaChangeService,
  ) {}

  async create(
    projectId: string,
    actorUserId: string,
    collectionName: string,
    dto: CreateFieldDto,
  ): Promise<FieldResponseDto> {
    const c = await this.catalog.collectionByName(projectId, collectionName);
    const type = normalizeFieldTypeName(dto.field_type);
    if (!type) {
      throw AppError.validation(`Invalid field type '${dto.field_type}'`, [
        { field: 'field_type', rule: 'enum', message: `field_type must be one of the field types` },
      ]);
    }
    if (type === 'relation') {
      throw AppError.validation('Relation fields are created through /schema/relations', [
        {
          field: 'field_type',
          rule: 'relation',
          message: 'Use the relations routes to create relations',
        },
      ]);
    }
    assertFreeFieldName(c, dto.name);
    const options = checkOptions(type, dto.options);
    const textual = getFieldType(type).textual;
    const field: FieldMeta = {
      id: randomUUID(),
      name: dto.name,
      displayName: dto.display_name ?? humanize(dto.name),
      column: dto.name,
      type,
      options,
      isRequired: dto.is_required ?? false,
      isUnique: dto.is_unique ?? false,
      isIndexed: (dto.is_indexed ?? false) || (textual && (dto.is_searchable ?? false)),
      isHidden: dto.is_hidden ?? false,
      isSystem: false,
      isDeleted: false,
      defaultValue: castDefault(type, options, dto.default_value),
    };
    await this.schema.apply({
      projectId,
      actorUserId,
      collectionId: c.meta.id,
      before: c.meta,
      after: { ...c.meta, fields: [...c.meta.fields, field] },
      writeMetadata: async (_client, meta) => {
        await meta.insertField(c.meta.id, field, {
          description: dto.description ?? null,
        });
        await meta.deleteAliasesNamed(c.meta.id, field.name);
      },
    });
    const fresh = await this.catalog.collectionById(projectId, c.meta.id);
    return toFieldDto(fresh, findField(fresh, field.name));
  }

  async list(
    projectId: string,
    collectionName: string,
    opts: { includeHidden?: boolean; includeDeleted?: boolean } = {},
  ): Promise<FieldResponseDto[]> {
    const c = await this.catalog.collectionByName(projectId, collectionName);
    return c.meta.fields
      .filter(
        (f) =>
          !isSecret(f) &&
          (opts.includeHidden !== false || !f.isHidden) &&
          (opts.includeDeleted || !f.isDeleted),
      )
      .map((f) => toFieldDto(c, f));
  }

  async get(
    projectId: string,
    collectionName: string,
    fieldName: string,
  ): Promise<FieldResponseDto> {
    const c = await this.catalog.collectionByName(projectId, collectionName);
    const f = findField(c, fieldName, { includeDeleted: true });
    if (isSecret(f)) throw AppError.notFound('Field');
    return toFieldDto(c, f);
  }

  async update(
    projectId: string,
    actorUserId: string,
    collectionName: string,
    fieldName: string,
    dto: UpdateFieldDto,
  ): Promise<FieldResponseDto> {
    const c = await this.catalog.collectionByName(projectId, collectionName);
    const f = findField(c, fieldName);
    if (isSecret(f)) throw AppError.notFound('Field');
    const structural = [
      'is_required',
      'is_unique',
      'is_indexed',
      'is_searchable',
      'is_hidden',
      'default_value',
      'options',
    ] as const;
    if (f.isSystem && structural.some((k) => dto[k] !== undefined)) {
      throw AppError.badRequest(
        `Field '${f.name}' is a system field; only its display name and description can change`,
      );
    }
    const options = dto.options !== undefined ? checkOptions(f.type, dto.options) : f.options;
    const textual = getFieldType(f.type).textual;
    const next: FieldMeta = {
      ...f,
      displayName: dto.display_name ?? f.displayName,
      options,
      isRequired: dto.is_required ?? f.isRequired,
      isUnique: dto.is_unique ?? f.isUnique,
      isIndexed: (dto.is_indexed ?? f.isIndexed) || (textual && (dto.is_searchable ?? false)),
      isHidden: dto.is_hidden ?? f.isHidden,
      defaultValue:
        dto.default_value !== undefined
          ? castDefault(f.type, options, dto.default_value)
          : f.defaultValue,
    };
    if (f.type === 'relation' && (dto.default_value !== undefined || dto.options !== undefined)) {
      throw AppError.badRequest('Relation fields are changed through /schema/relations');
    }
    await this.schema.apply({
      projectId,
      actorUserId,
      collectionId: c.meta.id,
      before: c.meta,
      after: { ...c.meta, fields: c.meta.fields.map((x) => (x.id === f.id ? next : x)) },
      writeMetadata: (_client, meta) =>
        meta.updateField(
          next,
          dto.description !== undefined ? { description: dto.description } : {},
        ),
    });
    const fresh = await this.catalog.collectionById(projectId, c.meta.id);
    return toFieldDto(fresh, findField(fresh, f.name));
  }

  /** Drops the column with its indexes, FKs and validation rules. System fields are protected. */
  async delete(
    projectId: string,
    actorUserId: string,
    collectionName: string,
    fieldName: string,
  ): Promise<void> {
    const c = await this.catalog.collectionByName(projectId, collectionName);
    const f = findField(c, fieldName, { includeDeleted: true });
    if (isSecret(f)) throw AppError.notFound('Field');
    if (f.isSystem)
      throw AppError.badRequest(`Field '${f.name}' is a system field and cannot be deleted`);
    await this.hardDelete(projectId, actorUserId, c, f);
  }

  async hardDelete(
    projectId: string,
    actorUserId: string | null,
    c: CatalogCollection,
    f: FieldMeta,
  ): Promise<void> {
    await this.schema.apply({
      projectId,
      actorUserId,
      collectionId: c.meta.id,
      before: c.meta,
      after: { ...c.meta, fields: c.meta.fields.filter((x) => x.id !== f.id) },
      writeMetadata: async (_client, meta) => {
        await meta.deleteField(f.id);
        if (c.record.displayField === f.name)
          await meta.updateCollection(c.meta.id, { displayField: null });
      },
    });
  }
}
