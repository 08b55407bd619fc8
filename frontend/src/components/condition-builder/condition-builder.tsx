import { useId } from 'react';
import { Plus, Trash2, X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/input';
import { cn } from '@/lib/utils';
import {
  CONDITION_OPS,
  CONDITION_VARIABLES,
  emptyGroup,
  newRule,
  type ConditionNode,
  type ConditionOp,
  type ConditionVariable,
  type GroupNode,
  type RuleNode,
} from './condition';

export interface BuilderField {
  name: string;
  type: string;
  system?: boolean;
}

/** The bookkeeping columns every record has, offered after a collection's own fields. */
export const RECORD_SYSTEM_COLUMNS: BuilderField[] = [
  { name: 'id', type: 'uuid', system: true },
  { name: 'created_by_app_user_id', type: 'uuid', system: true },
  { name: 'created_by_user_id', type: 'uuid', system: true },
  { name: 'created_at', type: 'datetime', system: true },
  { name: 'updated_at', type: 'datetime', system: true },
];

/** A collection's live fields (name and type) followed by the system columns. */
export function recordBuilderFields(
  fields: readonly { name: string; field_type: string; is_deleted: boolean }[],
): BuilderField[] {
  return [
    ...fields
      .filter((f) => !f.is_deleted && !RECORD_SYSTEM_COLUMNS.some((s) => s.name === f.name))
      .map((f) => ({ name: f.name, type: f.field_type })),
    ...RECORD_SYSTEM_COLUMNS,
  ];
}

interface BuilderOptions {
  fields: BuilderField[];
  /** Variables offered as values; the policy variables by default. */
  variables: readonly { name: string; label: string }[];
  /** Fields are typed paths (with the fields as suggestions) instead of a closed list. */
  freeFields: boolean;
  emptyText: string;
  listId: string;
}

interface BuilderProps {
  root: GroupNode;
  fields: BuilderField[];
  onChange: (root: GroupNode) => void;
  variables?: readonly { name: string; label: string }[];
  freeFields?: boolean;
  /** Shown when the root group has no rules. */
  emptyText?: string;
}

/** A tree of rule rows and nested AND/OR groups; each group may be negated. */
export function ConditionBuilder({
  root,
  fields,
  onChange,
  variables = CONDITION_VARIABLES,
  freeFields = false,
  emptyText = 'No rules: the policy applies to every row.',
}: BuilderProps) {
  const listId = useId();
  const options: BuilderOptions = { fields, variables, freeFields, emptyText, listId };
  return (
    <div data-testid="condition-builder">
      {freeFields && (
        <datalist id={listId}>
          {fields.map((f) => (
            <option key={f.name} value={f.name} />
          ))}
        </datalist>
      )}
      <GroupEditor group={root} options={options} depth={0} onChange={onChange} />
    </div>
  );
}

function replaceChild(group: GroupNode, id: string, next: ConditionNode | null): GroupNode {
  return {
    ...group,
    children: group.children.flatMap((c) => (c.id === id ? (next ? [next] : []) : [c])),
  };
}

function GroupEditor({
  group,
  options,
  depth,
  onChange,
  onRemove,
}: {
  group: GroupNode;
  options: BuilderOptions;
  depth: number;
  onChange: (g: GroupNode) => void;
  onRemove?: () => void;
}) {
  const { fields } = options;
  const label = depth === 0 ? 'Condition' : `Group at level ${depth}`;
  return (
    <div
      role="group"
      aria-label={label}
      className={cn(
        'space-y-2 rounded-lg border p-3',
        depth === 0 ? 'border-border bg-muted/30' : 'border-dashed border-primary/40 bg-card',
        group.negate && 'border-warning/60',
      )}
    >
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <button
          type="button"
          aria-pressed={group.negate}
          onClick={() => onChange({ ...group, negate: !group.negate })}
          className={cn(
            'cursor-pointer rounded-md border px-2 py-0.5 font-mono text-xs font-semibold',
            group.negate
              ? 'border-warning bg-warning/15 text-foreground'
              : 'border-border text-muted-foreground hover:text-foreground',
          )}
          title="Negate this group ($not)"
        >
          NOT
        </button>
        <span className="text-muted-foreground">Match</span>
        <div
          role="radiogroup"
          aria-label={`${label}: combine rules with`}
          className="flex rounded-md bg-muted p-0.5"
        >
          {(['and', 'or'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={group.mode === m}
              onClick={() => onChange({ ...group, mode: m })}
              className={cn(
                'cursor-pointer rounded px-2.5 py-0.5 text-xs font-medium',
                group.mode === m ? 'bg-card shadow-xs' : 'text-muted-foreground',
              )}
            >
              {m === 'and' ? 'ALL (and)' : 'ANY (or)'}
            </button>
          ))}
        </div>
        <span className="text-muted-foreground">of these</span>
        {onRemove && (
          <Button
            variant="ghost"
            size="sm"
            className="ml-auto text-muted-foreground"
            onClick={onRemove}
            aria-label="Remove group"
          >
            <X aria-hidden="true" />
            Remove group
          </Button>
        )}
      </div>

      {group.children.length === 0 && (
        <p className="px-1 text-xs text-muted-foreground">
          {depth === 0 ? options.emptyText : 'Empty group: add a rule or remove it.'}
        </p>
      )}

      {group.children.map((child, i) => (
        <div key={child.id} className="flex items-start gap-2">
          <span className="mt-2 w-9 shrink-0 text-right font-mono text-[11px] text-muted-foreground uppercase">
            {i === 0 ? 'where' : group.mode}
          </span>
          <div className="min-w-0 flex-1">
            {child.kind === 'rule' ? (
              <RuleEditor
                rule={child}
                index={i}
                options={options}
                onChange={(r) => onChange(replaceChild(group, child.id, r))}
                onRemove={() => onChange(replaceChild(group, child.id, null))}
              />
            ) : (
              <GroupEditor
                group={child}
                options={options}
                depth={depth + 1}
                onChange={(g) => onChange(replaceChild(group, child.id, g))}
                onRemove={() => onChange(replaceChild(group, child.id, null))}
              />
            )}
          </div>
        </div>
      ))}

      <div className="flex flex-wrap gap-2 pl-11">
        <Button
          variant="outline"
          size="sm"
          onClick={() =>
            onChange({ ...group, children: [...group.children, newRule(fields[0]?.name ?? '')] })
          }
        >
          <Plus aria-hidden="true" />
          Add rule
        </Button>
        {depth < 4 && (
          <Button
            variant="ghost"
            size="sm"
            onClick={() =>
              onChange({
                ...group,
                children: [
                  ...group.children,
                  {
                    ...emptyGroup(group.mode === 'and' ? 'or' : 'and'),
                    children: [newRule(fields[0]?.name ?? '')],
                  },
                ],
              })
            }
          >
            <Plus aria-hidden="true" />
            Add group
          </Button>
        )}
      </div>
    </div>
  );
}

function RuleEditor({
  rule,
  index,
  options,
  onChange,
  onRemove,
}: {
  rule: RuleNode;
  index: number;
  options: BuilderOptions;
  onChange: (r: RuleNode) => void;
  onRemove: () => void;
}) {
  const { fields, variables } = options;
  const field = fields.find((f) => f.name === rule.field);
  const n = index + 1;
  const isList = rule.op === '$in' || rule.op === '$nin';
  return (
    <div
      className="flex flex-wrap items-center gap-2 rounded-md border border-border bg-card p-2"
      data-testid="condition-rule"
    >
      <div className="w-full sm:w-64">
        {options.freeFields ? (
          <Input
            aria-label={`Rule ${n} field`}
            className="h-8 font-mono text-xs"
            list={options.listId}
            placeholder="steps.0.output.status"
            value={rule.field}
            onChange={(e) => onChange({ ...rule, field: e.target.value })}
          />
        ) : (
          <Select
            aria-label={`Rule ${n} field`}
            className="h-8"
            value={rule.field}
            onChange={(e) => onChange({ ...rule, field: e.target.value })}
          >
            {!field && <option value={rule.field}>{rule.field || 'Choose a field…'}</option>}
            <optgroup label="Fields">
              {fields
                .filter((f) => !f.system)
                .map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.name} ({f.type})
                  </option>
                ))}
            </optgroup>
            <optgroup label="System columns">
              {fields
                .filter((f) => f.system)
                .map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.name}
                  </option>
                ))}
            </optgroup>
          </Select>
        )}
      </div>
      <div className="w-full sm:w-44">
        <Select
          aria-label={`Rule ${n} operator`}
          className="h-8"
          value={rule.op}
          onChange={(e) => {
            const op = e.target.value as ConditionOp;
            onChange({
              ...rule,
              op,
              ...(op === '$isnull' ? { source: 'value' as const, value: 'true' } : {}),
              ...(rule.op === '$isnull' && op !== '$isnull' ? { value: '' } : {}),
            });
          }}
        >
          {CONDITION_OPS.map((o) => (
            <option key={o.op} value={o.op}>
              {o.label} ({o.op})
            </option>
          ))}
        </Select>
      </div>
      {rule.op === '$isnull' ? (
        <div className="w-28">
          <Select
            aria-label={`Rule ${n} value`}
            className="h-8"
            value={rule.value === 'false' ? 'false' : 'true'}
            onChange={(e) => onChange({ ...rule, value: e.target.value })}
          >
            <option value="true">true</option>
            <option value="false">false</option>
          </Select>
        </div>
      ) : (
        <>
          <div className="w-full sm:w-56">
            <Select
              aria-label={`Rule ${n} value source`}
              className="h-8"
              value={rule.source}
              onChange={(e) =>
                onChange({ ...rule, source: e.target.value as 'value' | ConditionVariable })
              }
            >
              <option value="value">{isList ? 'Values (comma separated)' : 'Value'}</option>
              {variables.length > 0 && (
                <optgroup label="Variables">
                  {variables.map((v) => (
                    <option key={v.name} value={v.name}>
                      {v.name}
                    </option>
                  ))}
                </optgroup>
              )}
            </Select>
          </div>
          {rule.source === 'value' &&
            (field?.type === 'bool' && !isList ? (
              <div className="w-28">
                <Select
                  aria-label={`Rule ${n} value`}
                  className="h-8"
                  value={rule.value}
                  onChange={(e) => onChange({ ...rule, value: e.target.value })}
                >
                  <option value="">Choose…</option>
                  <option value="true">true</option>
                  <option value="false">false</option>
                </Select>
              </div>
            ) : (
              <div className="min-w-0 flex-1 basis-40">
                <Input
                  aria-label={`Rule ${n} value`}
                  className="h-8"
                  placeholder={isList ? 'a, b, c' : 'value'}
                  value={rule.value}
                  onChange={(e) => onChange({ ...rule, value: e.target.value })}
                />
              </div>
            ))}
        </>
      )}
      <Button
        variant="ghost"
        size="icon"
        className="ml-auto size-8 text-muted-foreground hover:text-destructive"
        aria-label={`Remove rule ${n}`}
        onClick={onRemove}
      >
        <Trash2 aria-hidden="true" />
      </Button>
    </div>
  );
}
