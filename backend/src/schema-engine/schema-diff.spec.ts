import type { CollectionMeta, FieldMeta } from './catalog.types';
import { PlanError, plan, type PlanContext } from './schema-diff';
import type { SchemaOp } from './schema-op';

const SCHEMA = 'p_00000000_0000_4000_8000_000000000001';
const POSTS_ID = 'c-posts';

function field(overrides: Partial<FieldMeta> & Pick<FieldMeta, 'id' | 'name'>): FieldMeta {
  return {
    displayName: overrides.name,
    column: overrides.name,
    type: 'string',
    options: {},
    isRequired: false,
    isUnique: false,
    isIndexed: false,
    isHidden: false,
    isSystem: false,
    isDeleted: false,
    defaultValue: null,
    ...overrides,
  };
}

function collection(fields: FieldMeta[], overrides: Partial<CollectionMeta> = {}): CollectionMeta {
  return {
    id: POSTS_ID,
    projectId: '00000000-0000-4000-8000-000000000001',
    name: 'posts',
    displayName: 'Posts',
    schema: SCHEMA,
    table: 'posts',
    isSystem: false,
    idType: 'bigint',
    fields,
    ...overrides,
  };
}

const context: PlanContext = {
  targetOf: (id) =>
    ({
      'c-users': { table: '_users', idType: 'uuid' as const },
      'c-authors': { table: 'authors', idType: 'bigint' as const },
      'c-tags': { table: 'tags', idType: 'bigint' as const },
    })[id],
};

const title = field({ id: 'f-title', name: 'title' });
const author = field({
  id: 'f-author',
  name: 'author',
  column: 'author_id',
  type: 'relation',
  relation: {
    kind: 'many_to_one',
    targetCollectionId: 'c-authors',
    onDelete: 'RESTRICT',
    displayField: null,
  },
});

/** Ops without the repeated schema, to keep expectations readable. */
function kinds(ops: SchemaOp[]): string[] {
  return ops.map((op) => {
    const { kind, ...rest } = op as SchemaOp & { schema?: string };
    delete (rest as { schema?: string }).schema;
    return `${kind} ${JSON.stringify(rest)}`;
  });
}

describe('plan', () => {
  it('returns nothing when both sides are null or equal', () => {
    expect(plan(null, null)).toEqual([]);
    const posts = collection([title, author]);
    expect(plan(posts, structuredClone(posts), context)).toEqual([]);
  });

  it('creates a new collection: schema, table, columns, indexes, FKs in that order', () => {
    const ops = plan(
      null,
      collection([
        field({
          id: 'f-title',
          name: 'title',
          isRequired: true,
          isIndexed: true,
          defaultValue: 'x',
        }),
        author,
        field({ id: 'f-sku', name: 'sku', isUnique: true, options: { max_length: 40 } }),
      ]),
      context,
    );
    expect(kinds(ops)).toEqual([
      'createSchema {}',
      'createTable {"table":"posts","idType":"bigint"}',
      'addColumn {"table":"posts","column":"title","columnType":"text","notNull":true,"defaultValue":"x"}',
      'addColumn {"table":"posts","column":"author_id","columnType":"bigint","notNull":false,"defaultValue":null,"relation":true}',
      'addColumn {"table":"posts","column":"sku","columnType":"varchar(40)","notNull":false,"defaultValue":null}',
      'ensureExtension {"name":"pg_trgm"}',
      'createIndex {"table":"posts","column":"title","method":"btree","name":"posts_title_idx"}',
      'createIndex {"table":"posts","column":"title","method":"trigram","name":"posts_title_trgm"}',
      'createIndex {"table":"posts","column":"author_id","method":"btree","name":"posts_author_id_idx"}',
      'createIndex {"table":"posts","column":"sku","method":"unique","name":"posts_sku_key"}',
      'addForeignKey {"table":"posts","column":"author_id","targetTable":"authors","onDelete":"RESTRICT","name":"posts_author_id_fkey"}',
    ]);
  });

  it('creates the _users system collection with its own op', () => {
    const users = collection([field({ id: 'f-email', name: 'email', isSystem: true })], {
      id: 'c-users',
      name: '_users',
      table: '_users',
      isSystem: true,
      idType: 'uuid',
    });
    expect(kinds(plan(null, users))).toEqual(['createSchema {}', 'createUsersTable {}']);
  });

  it('drops a collection with its junction tables', () => {
    const tags = field({
      id: 'f-tags',
      name: 'tags',
      type: 'relation',
      relation: {
        kind: 'many_to_many',
        targetCollectionId: 'c-tags',
        onDelete: 'CASCADE',
        displayField: null,
        junctionTable: 'posts_tags',
        junctionSourceColumn: 'posts_id',
        junctionTargetColumn: 'tags_id',
      },
    });
    expect(kinds(plan(collection([title, tags]), null, context))).toEqual([
      'dropTable {"table":"posts_tags"}',
      'dropTable {"table":"posts"}',
    ]);
  });

  type Case = [string, FieldMeta[], FieldMeta[], string[]];
  it.each<Case>([
    [
      'a renamed field is a rename, not drop + add',
      [field({ id: 'f-title', name: 'title', isIndexed: true })],
      [field({ id: 'f-title', name: 'headline', isIndexed: true })],
      [
        'renameColumn {"table":"posts","from":"title","to":"headline"}',
        'renameIndex {"from":"posts_title_idx","to":"posts_headline_idx"}',
        'renameIndex {"from":"posts_title_trgm","to":"posts_headline_trgm"}',
      ],
    ],
    [
      'a new field is added',
      [title],
      [
        title,
        field({ id: 'f-n', name: 'views', type: 'int', isRequired: true, defaultValue: '0' }),
      ],
      [
        'addColumn {"table":"posts","column":"views","columnType":"bigint","notNull":true,"defaultValue":"0"}',
      ],
    ],
    [
      'a removed field is dropped last, after its index',
      [
        field({ id: 'f-title', name: 'title', isUnique: true }),
        field({ id: 'f-b', name: 'body', type: 'text' }),
      ],
      [field({ id: 'f-b', name: 'body', type: 'text' }), field({ id: 'f-new', name: 'summary' })],
      [
        'addColumn {"table":"posts","column":"summary","columnType":"text","notNull":false,"defaultValue":null}',
        'dropIndex {"name":"posts_title_key"}',
        'dropColumn {"table":"posts","column":"title"}',
      ],
    ],
    [
      'a type change drops the old default first and sets the new one after',
      [field({ id: 'f-q', name: 'qty', type: 'string', defaultValue: '1' })],
      [field({ id: 'f-q', name: 'qty', type: 'int', defaultValue: '1' })],
      [
        'dropDefault {"table":"posts","column":"qty"}',
        'alterColumnType {"table":"posts","column":"qty","columnType":"bigint"}',
        'setDefault {"table":"posts","column":"qty","columnType":"bigint","value":"1"}',
      ],
    ],
    [
      'a type change rebuilds the indexes of that column around it',
      [field({ id: 'f-q', name: 'qty', type: 'string', isIndexed: true })],
      [field({ id: 'f-q', name: 'qty', type: 'int', isIndexed: true })],
      [
        'dropIndex {"name":"posts_qty_trgm"}',
        'dropIndex {"name":"posts_qty_idx"}',
        'alterColumnType {"table":"posts","column":"qty","columnType":"bigint"}',
        'createIndex {"table":"posts","column":"qty","method":"btree","name":"posts_qty_idx"}',
      ],
    ],
    [
      'required on and off',
      [field({ id: 'f-a', name: 'a' }), field({ id: 'f-b', name: 'b', isRequired: true })],
      [field({ id: 'f-a', name: 'a', isRequired: true }), field({ id: 'f-b', name: 'b' })],
      ['setNotNull {"table":"posts","column":"a"}', 'dropNotNull {"table":"posts","column":"b"}'],
    ],
    [
      'a soft-deleted required field keeps its column but stops being required',
      [field({ id: 'f-a', name: 'a', isRequired: true })],
      [field({ id: 'f-a', name: 'a', isRequired: true, isDeleted: true })],
      ['dropNotNull {"table":"posts","column":"a"}'],
    ],
    [
      'default set, changed and removed',
      [
        field({ id: 'f-a', name: 'a' }),
        field({ id: 'f-b', name: 'b', defaultValue: 'x' }),
        field({ id: 'f-c', name: 'c', defaultValue: 'y' }),
      ],
      [
        field({ id: 'f-a', name: 'a', defaultValue: "it's" }),
        field({ id: 'f-b', name: 'b', defaultValue: 'z' }),
        field({ id: 'f-c', name: 'c' }),
      ],
      [
        'setDefault {"table":"posts","column":"a","columnType":"text","value":"it\'s"}',
        'setDefault {"table":"posts","column":"b","columnType":"text","value":"z"}',
        'dropDefault {"table":"posts","column":"c"}',
      ],
    ],
    [
      'unique on replaces the plain index',
      [field({ id: 'f-a', name: 'a', type: 'int', isIndexed: true })],
      [field({ id: 'f-a', name: 'a', type: 'int', isIndexed: true, isUnique: true })],
      [
        'createIndex {"table":"posts","column":"a","method":"unique","name":"posts_a_key"}',
        'dropIndex {"name":"posts_a_idx"}',
      ],
    ],
    [
      'a changed ON DELETE re-creates the FK',
      [author],
      [{ ...author, relation: { ...author.relation!, onDelete: 'CASCADE' } }],
      [
        'dropConstraint {"table":"posts","name":"posts_author_id_fkey"}',
        'addForeignKey {"table":"posts","column":"author_id","targetTable":"authors","onDelete":"CASCADE","name":"posts_author_id_fkey"}',
      ],
    ],
    [
      'a relation retargeted to _users changes the column to uuid around its FK',
      [author],
      [{ ...author, relation: { ...author.relation!, targetCollectionId: 'c-users' } }],
      [
        'dropConstraint {"table":"posts","name":"posts_author_id_fkey"}',
        'dropIndex {"name":"posts_author_id_idx"}',
        'alterColumnType {"table":"posts","column":"author_id","columnType":"uuid"}',
        'createIndex {"table":"posts","column":"author_id","method":"btree","name":"posts_author_id_idx"}',
        'addForeignKey {"table":"posts","column":"author_id","targetTable":"_users","onDelete":"RESTRICT","name":"posts_author_id_fkey"}',
      ],
    ],
    [
      'a renamed relation renames its column, index and FK',
      [author],
      [{ ...author, name: 'writer', column: 'writer_id' }],
      [
        'renameColumn {"table":"posts","from":"author_id","to":"writer_id"}',
        'renameIndex {"from":"posts_author_id_idx","to":"posts_writer_id_idx"}',
        'renameConstraint {"table":"posts","from":"posts_author_id_fkey","to":"posts_writer_id_fkey"}',
      ],
    ],
    [
      'a removed relation drops FK, index, then column',
      [title, author],
      [title],
      [
        'dropConstraint {"table":"posts","name":"posts_author_id_fkey"}',
        'dropIndex {"name":"posts_author_id_idx"}',
        'dropColumn {"table":"posts","column":"author_id"}',
      ],
    ],
    [
      'a self relation targets the collection itself',
      [],
      [
        field({
          id: 'f-parent',
          name: 'parent',
          column: 'parent_id',
          type: 'relation',
          relation: {
            kind: 'many_to_one',
            targetCollectionId: POSTS_ID,
            onDelete: 'SET NULL',
            displayField: null,
          },
        }),
      ],
      [
        'addColumn {"table":"posts","column":"parent_id","columnType":"bigint","notNull":false,"defaultValue":null,"relation":true}',
        'createIndex {"table":"posts","column":"parent_id","method":"btree","name":"posts_parent_id_idx"}',
        'addForeignKey {"table":"posts","column":"parent_id","targetTable":"posts","onDelete":"SET NULL","name":"posts_parent_id_fkey"}',
      ],
    ],
    [
      'a many-to-many field makes a junction table and no column',
      [],
      [
        field({
          id: 'f-tags',
          name: 'tags',
          type: 'relation',
          relation: {
            kind: 'many_to_many',
            targetCollectionId: 'c-tags',
            onDelete: 'CASCADE',
            displayField: null,
            junctionTable: 'posts_tags',
            junctionSourceColumn: 'posts_id',
            junctionTargetColumn: 'tags_id',
          },
        }),
        field({
          id: 'f-rev',
          name: 'comments',
          type: 'relation',
          relation: {
            kind: 'one_to_many',
            targetCollectionId: 'c-tags',
            onDelete: 'CASCADE',
            displayField: null,
          },
        }),
      ],
      [
        'createJunctionTable {"table":"posts_tags","source":{"column":"posts_id","table":"posts","idType":"bigint"},"target":{"column":"tags_id","table":"tags","idType":"bigint"}}',
      ],
    ],
    [
      'system fields never produce DDL',
      [],
      [field({ id: 'f-sys', name: 'created_at', type: 'datetime', isSystem: true })],
      [],
    ],
  ])('%s', (_name, beforeFields, afterFields, expected) => {
    expect(kinds(plan(collection(beforeFields), collection(afterFields), context))).toEqual(
      expected,
    );
  });

  it('renames a table before touching its columns, and renames its derived names', () => {
    const before = collection([title]);
    const after = collection(
      [field({ id: 'f-title', name: 'title', isRequired: true }), field({ id: 'f-x', name: 'x' })],
      {
        name: 'articles',
        table: 'articles',
      },
    );
    expect(kinds(plan(before, after, context))).toEqual([
      'renameTable {"from":"posts","to":"articles"}',
      'renameIndex {"from":"posts_pkey","to":"articles_pkey"}',
      'renameIndex {"from":"posts_created_by_app_user_id_idx","to":"articles_created_by_app_user_id_idx"}',
      'addColumn {"table":"articles","column":"x","columnType":"text","notNull":false,"defaultValue":null}',
      'setNotNull {"table":"articles","column":"title"}',
    ]);
  });

  it.each([
    [
      'renaming a system collection',
      collection([], { isSystem: true }),
      collection([], { isSystem: true, table: 'x' }),
    ],
    ['dropping a system collection', collection([], { isSystem: true }), null],
    [
      'an unknown relation target',
      collection([]),
      collection([{ ...author, relation: { ...author.relation!, targetCollectionId: 'nope' } }]),
    ],
    ['two different collections', collection([]), collection([], { id: 'other' })],
  ])('refuses %s', (_name, before, after) => {
    expect(() => plan(before, after, context)).toThrow(PlanError);
  });
});
