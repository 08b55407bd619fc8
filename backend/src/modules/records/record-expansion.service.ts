import { Injectable } from '@nestjs/common';
import type { CollectionMeta, FieldMeta } from '../../schema-engine/catalog.types';
import {
  assertExpandReadable,
  compileManyToManyIds,
  expandRecords,
  type ExpandAccess,
  type ExpandNode,
  type FilterAst,
  type JsonRecord,
  type ReadableFields,
} from '../../query-engine';
import { AppError } from '../../common/errors/app-error';
import type { AccessContext } from '../access/access-context';
import { PolicyDecisionsService } from '../policies/policy-decisions.service';
import type { RecordTarget } from './record-target';
import type { RecordsExecutor, Row } from './records.repository';

const DENY: FilterAst = { kind: 'literal', value: false };
/** A collection the caller may not list: expanded values come back empty (null / []). */
const DENIED: ExpandAccess = { rowFilter: DENY, readable: null };

/** The access of every collection an expand reaches, checked before any row is read. */
export interface ExpansionPlan {
  nodes: ExpandNode[];
  access: ReadonlyMap<string, ExpandAccess>;
}

/** Many-to-many id arrays and `expand=` trees, under the policies and readable fields of each collection. */
@Injectable()
export class RecordExpansionService {
  constructor(private readonly policies: PolicyDecisionsService) {}

  /**
   * Decides list access for each expanded collection and refuses (400 naming expand) a relation
   * whose field the caller cannot read. Runs before the main query.
   */
  async plan(
    access: AccessContext,
    t: RecordTarget,
    nodes: ExpandNode[],
    readable: ReadableFields,
  ): Promise<ExpansionPlan> {
    const out = new Map<string, ExpandAccess>();
    const visit = async (list: readonly ExpandNode[]) => {
      for (const n of list) {
        if (!out.has(n.target.id)) {
          const decision = await this.policies.decide(access, n.target, 'list').catch((err) => {
            if (err instanceof AppError) return null;
            throw err;
          });
          out.set(
            n.target.id,
            decision
              ? { rowFilter: decision.rowFilter, readable: decision.readableFields }
              : DENIED,
          );
        }
        await visit(n.children);
      }
    };
    await visit(nodes);
    assertExpandReadable(nodes, t.meta, readable, (c) => (out.get(c.id) ?? DENIED).readable);
    return { nodes, access: out };
  }

  /** Attaches many-to-many id arrays (readable fields only) and the planned expands to `records`. */
  async apply(
    exec: RecordsExecutor,
    t: RecordTarget,
    records: JsonRecord[],
    plan: ExpansionPlan | null,
    fields: string | readonly string[] | null,
    readable: ReadableFields,
  ): Promise<void> {
    const expanded = new Set((plan?.nodes ?? []).map((n) => n.name));
    const plainFields =
      fields === null
        ? null
        : (typeof fields === 'string' ? fields.split(',') : fields).filter((f) => !expanded.has(f));
    await this.attachSets(exec, t, records, plainFields, readable);
    if (plan && plan.nodes.length) {
      await expandRecords(records, t.meta, plan.nodes, {
        catalog: t.lookup,
        run: (q) => exec.run(q),
        accessFor: (c) => plan.access.get(c.id) ?? DENIED,
      });
    }
  }

  /** Many-to-many id arrays of the readable set fields (all of them when `fields` is null). */
  async attachSets(
    exec: RecordsExecutor,
    t: RecordTarget,
    records: JsonRecord[],
    fields: string | readonly string[] | null,
    readable: ReadableFields,
  ): Promise<void> {
    if (records.length === 0) return;
    const ids = records.map((r) => r.id);
    for (const f of manyToManyFields(t.meta, fields, readable)) {
      const rows = await exec.run(compileManyToManyIds(f, t.meta, ids));
      const groups = new Map<string, unknown[]>();
      const targetIdType =
        t.lookup.getCollection(f.relation?.targetCollectionId ?? '')?.idType ?? 'bigint';
      for (const row of rows as Row[]) {
        const key = String(row.__parent);
        const list = groups.get(key) ?? [];
        list.push(
          targetIdType === 'bigint' && Number.isSafeInteger(Number(row.id))
            ? Number(row.id)
            : row.id,
        );
        groups.set(key, list);
      }
      for (const r of records) r[f.name] = groups.get(String(r.id)) ?? [];
    }
  }
}

function manyToManyFields(
  meta: CollectionMeta,
  fields: string | readonly string[] | null,
  readable: ReadableFields,
): FieldMeta[] {
  const wanted =
    fields === null
      ? null
      : new Set(typeof fields === 'string' ? fields.split(',').map((f) => f.trim()) : fields);
  return meta.fields.filter(
    (f) =>
      f.type === 'relation' &&
      f.relation?.kind === 'many_to_many' &&
      !f.isDeleted &&
      !f.isHidden &&
      (!readable || readable.has(f.name)) &&
      (!wanted || wanted.has(f.name)),
  );
}
