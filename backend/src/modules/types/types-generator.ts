import type { CollectionMeta, FieldMeta } from '../../schema-engine/catalog.types';

/** What the generator needs of a project: its collections, each with meta and description. */
export interface TypesInput {
  projectId: string;
  projectName: string;
  collections: readonly { meta: CollectionMeta; description: string | null }[];
  /** ISO time stamped in the header; fixed in tests. */
  generatedAt: string;
}

const HEADER_JSON = `export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A stored file as \`expand\` gives a \`file\` field: its metadata and a URL (signed for an hour when private). */
export interface BackendifyFile {
  id: string;
  filename: string;
  original_filename: string;
  content_type: string;
  size_bytes: number;
  bucket: string;
  is_public: boolean;
  download_url: string;
  url: string;
  created_at: string;
}`;

/**
 * TypeScript types of a project's collections (DESIGN §5 "Types"): per collection a row type as
 * the data API answers it, an insert type, an update type and its relations, and a `Database`
 * interface that `@backendify/client` takes as a generic. Pure: the same catalog gives the same
 * text, so a regenerated file only changes when the schema did.
 */
export function generateTypes(input: TypesInput): string {
  const live = [...input.collections].sort((a, b) => a.meta.name.localeCompare(b.meta.name));
  const names = typeNames(live.map((c) => c.meta));
  const byId = new Map(live.map((c) => [c.meta.id, c.meta]));
  const out: string[] = [
    `// Backendify types for project ${comment(JSON.stringify(input.projectName))} (${input.projectId}).`,
    `// Generated ${input.generatedAt}. Do not edit: regenerate with`,
    `//   pnpm backendify types --project ${input.projectId} --out src/backendify.d.ts`,
    '',
    HEADER_JSON,
    '',
  ];
  for (const { meta, description } of live) {
    out.push(...collectionTypes(meta, description, names, byId), '');
  }
  out.push('/** Every collection of the project: `createClient<Database>(…)`. */');
  out.push('export interface Database {');
  out.push('  collections: {');
  for (const { meta } of live) {
    const n = names.get(meta.id) as string;
    out.push(
      `    ${meta.name}: { Row: ${n}; Insert: ${n}Insert; Update: ${n}Update; Relations: ${n}Relations };`,
    );
  }
  out.push('  };');
  out.push('}');
  return out.join('\n') + '\n';
}

function collectionTypes(
  meta: CollectionMeta,
  description: string | null,
  names: Map<string, string>,
  byId: Map<string, CollectionMeta>,
): string[] {
  const n = names.get(meta.id) as string;
  const fields = meta.fields.filter((f) => !f.isDeleted);
  const idType = meta.idType === 'uuid' ? 'string' : 'number';
  const doc = description ? `${meta.displayName}: ${description}` : meta.displayName;
  const row: string[] = [`/** ${comment(doc)} (\`${meta.name}\`), as the data API answers it. */`];
  row.push(
    `export interface ${n} {`,
    `  id: ${idType};`,
    '  created_at: string;',
    '  updated_at: string;',
    '  created_by_user_id: string | null;',
    '  created_by_app_user_id: string | null;',
  );
  const insert: string[] = [
    `/** A new \`${meta.name}\` record: required fields without a default must be given. */`,
    `export interface ${n}Insert {`,
  ];
  const relations: string[] = [
    `/** What \`expand\` adds to a \`${meta.name}\` record. */`,
    `export interface ${n}Relations {`,
  ];
  for (const f of fields) {
    const label =
      f.displayName && f.displayName !== f.name ? `  /** ${comment(f.displayName)} */` : null;
    if (f.type === 'relation' && f.relation) {
      const target = byId.get(f.relation.targetCollectionId);
      const targetName = target ? (names.get(target.id) as string) : 'Record<string, unknown>';
      const targetId = target?.idType === 'uuid' ? 'string' : 'number';
      if (f.relation.kind === 'many_to_one') {
        if (!f.isHidden) {
          if (label) row.push(label);
          row.push(`  ${f.column}: ${targetId}${f.isRequired ? '' : ' | null'};`);
        }
        if (!f.isSystem) {
          const opt = f.isRequired && f.defaultValue === null ? '' : '?';
          // The API also takes the column name (`author_id`); the type names the field only.
          insert.push(`  ${f.name}${opt}: ${targetId}${f.isRequired ? '' : ' | null'};`);
        }
        if (!f.isHidden)
          relations.push(`  ${f.name}: ${targetName}${f.isRequired ? '' : ' | null'};`);
      } else if (f.relation.kind === 'many_to_many') {
        if (!f.isHidden) {
          if (label) row.push(label);
          row.push(`  ${f.name}: ${targetId}[];`);
          relations.push(`  ${f.name}: ${targetName}[];`);
        }
        if (!f.isSystem) insert.push(`  ${f.name}?: ${targetId}[];`);
      } else if (!f.isHidden) {
        relations.push(`  ${f.name}: ${targetName}[];`);
      }
      continue;
    }
    if (!f.isHidden) {
      if (label) row.push(label);
      row.push(`  ${f.name}: ${readType(f)}${f.isRequired ? '' : ' | null'};`);
      if (f.type === 'file') relations.push(`  ${f.name}: BackendifyFile | null;`);
    }
    if (!f.isSystem) {
      const opt = f.isRequired && f.defaultValue === null ? '' : '?';
      insert.push(`  ${f.name}${opt}: ${writeType(f)}${f.isRequired ? '' : ' | null'};`);
    }
  }
  row.push('}');
  return [
    ...row,
    ...closed(insert, `${n}Insert`),
    `export type ${n}Update = Partial<${n}Insert>;`,
    ...closed(relations, `${n}Relations`),
  ];
}

/** Closes an interface, or makes an empty one `Record<never, never>` (linters refuse `{}`). */
function closed(lines: string[], name: string): string[] {
  if (lines.length > 2) return [...lines, '}'];
  return [lines[0], `export type ${name} = Record<never, never>;`];
}

/** The JSON type of a column in answers (DESIGN §8: ids and ints are numbers, decimals strings). */
function readType(f: FieldMeta): string {
  switch (f.type) {
    case 'int':
    case 'float':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'json':
      return 'Json';
    case 'enum':
      return enumType(f);
    default:
      // string, text, uuid, date (YYYY-MM-DD), datetime (ISO 8601), decimal (exact text), file (id)
      return 'string';
  }
}

/** What a write accepts: dates may be `Date`s (the client sends ISO text), decimals numbers. */
function writeType(f: FieldMeta): string {
  switch (f.type) {
    case 'decimal':
      return 'string | number';
    case 'date':
    case 'datetime':
      return 'string | Date';
    default:
      return readType(f);
  }
}

function enumType(f: FieldMeta): string {
  const values = f.options.values ?? [];
  return values.length ? values.map((v) => JSON.stringify(v)).join(' | ') : 'string';
}

/** PascalCase type names, unique within the project (`_users` → `Users`, a clash gets `_2`). */
function typeNames(collections: readonly CollectionMeta[]): Map<string, string> {
  const taken = new Set<string>(['Json', 'Database', 'BackendifyFile']);
  const out = new Map<string, string>();
  const family = (name: string) => [name, `${name}Insert`, `${name}Update`, `${name}Relations`];
  // System collections first, so `_users` keeps `Users` and a user-made `users` becomes `Users_2`.
  const ordered = [...collections].sort((a, b) => Number(b.isSystem) - Number(a.isSystem));
  for (const c of ordered) {
    const pascalName = pascal(c.name) || 'Collection';
    const base = /^[0-9]/.test(pascalName) ? `C${pascalName}` : pascalName;
    let name = base;
    for (let i = 2; family(name).some((t) => taken.has(t)); i += 1) name = `${base}_${i}`;
    for (const t of family(name)) taken.add(t);
    out.set(c.id, name);
  }
  return out;
}

function pascal(identifier: string): string {
  return identifier
    .split('_')
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/** Text that is safe inside a block or line comment. */
function comment(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/[\r\n]+/g, ' ');
}
