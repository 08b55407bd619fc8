import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { useCreateRule, useUpdateRule } from '../api/validation-mutations';
import { renderMessage, type ConfigKind, type RuleType, type ValidationRule } from '../types';

interface RuleDialogProps {
  projectId: string;
  collection: string;
  field: string;
  fieldType: string;
  ruleTypes: RuleType[];
  /** `new`, a rule to edit, or null when closed. */
  rule: ValidationRule | 'new' | null;
  onClose: () => void;
}

export function RuleDialog(props: RuleDialogProps) {
  const editing = props.rule !== 'new' && props.rule !== null;
  return (
    <Dialog
      open={props.rule !== null}
      onOpenChange={(o) => !o && props.onClose()}
      title={editing ? 'Edit rule' : 'Add rule'}
      description={
        <>
          Runs on every create and update of{' '}
          <code className="font-mono text-xs">
            {props.collection}.{props.field}
          </code>{' '}
          ({props.fieldType}).
        </>
      }
    >
      {props.rule !== null && <RuleForm {...props} rule={props.rule} />}
    </Dialog>
  );
}

function toText(kind: ConfigKind, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (kind === 'list') return Array.isArray(v) ? v.map(String).join(', ') : String(v);
  if (kind === 'any') return typeof v === 'string' ? v : JSON.stringify(v);
  return String(v);
}

function parseScalar(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Turns the inputs into the config object; returns an error sentence per bad key. */
function buildConfig(
  type: RuleType,
  values: Record<string, string>,
  numericList: boolean,
): { config: Record<string, unknown>; errors: Record<string, string> } {
  const config: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [key, kind] of Object.entries(type.config_schema)) {
    const raw = (values[key] ?? '').trim();
    if (!raw) {
      if (type.required_config.includes(key)) errors[key] = 'Required';
      continue;
    }
    if (kind === 'int' || kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) {
        errors[key] = kind === 'int' ? 'Enter a whole number' : 'Enter a number';
      } else config[key] = n;
    } else if (kind === 'list') {
      const items = raw
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      config[key] = items.map((x) =>
        numericList && Number.isFinite(Number(x)) ? Number(x) : parseListItem(x),
      );
    } else if (kind === 'any') {
      config[key] = parseScalar(raw);
    } else config[key] = raw;
  }
  return { config, errors };
}

function parseListItem(x: string): unknown {
  if (x === 'true' || x === 'false' || x === 'null') return JSON.parse(x);
  return x;
}

const HINTS: Record<ConfigKind, string> = {
  int: 'Whole number',
  number: 'Number',
  str: 'Text',
  list: 'Comma-separated values',
  any: 'A value; JSON is accepted (true, 3, "x")',
};

function RuleForm({
  projectId,
  collection,
  field,
  fieldType,
  ruleTypes,
  rule,
  onClose,
}: Omit<RuleDialogProps, 'rule'> & { rule: ValidationRule | 'new' }) {
  const id = useId();
  const existing = rule === 'new' ? null : rule;
  const applicable = ruleTypes.filter((t) => t.applies_to.includes(fieldType));
  const [typeName, setTypeName] = useState(existing?.rule_type ?? applicable[0]?.type ?? '');
  const type = ruleTypes.find((t) => t.type === typeName);
  const [values, setValues] = useState<Record<string, string>>(() =>
    existing && type
      ? Object.fromEntries(
          Object.entries(type.config_schema).map(([k, kind]) => [
            k,
            toText(kind, existing.config[k]),
          ]),
        )
      : {},
  );
  const [message, setMessage] = useState(existing?.error_message ?? '');
  const [priority, setPriority] = useState(String(existing?.priority ?? 0));
  const [active, setActive] = useState(existing?.is_active ?? true);
  const [touched, setTouched] = useState(false);
  const create = useCreateRule(projectId, collection, field);
  const update = useUpdateRule(projectId);
  const mutation = existing ? update : create;

  const numericList = ['int', 'float', 'decimal'].includes(fieldType);
  const built = type ? buildConfig(type, values, numericList) : { config: {}, errors: {} };
  const priorityValue = Number(priority);
  const priorityError = Number.isInteger(priorityValue) ? undefined : 'Enter a whole number';
  const valid = type && Object.keys(built.errors).length === 0 && !priorityError;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!valid || !type) return;
    const body = {
      config: built.config,
      error_message: message.trim() || null,
      priority: priorityValue,
      is_active: active,
    };
    if (existing) update.mutate({ rule: existing, patch: body }, { onSuccess: onClose });
    else create.mutate({ rule_type: type.type, ...body }, { onSuccess: onClose });
  }

  if (applicable.length === 0 && !existing) {
    return (
      <p className="text-sm text-muted-foreground">
        No rule types apply to {fieldType} fields. Use required_if on another field, or change the
        field type.
      </p>
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {mutation.error && <ProblemAlert error={mutation.error} />}
      <Field id={`${id}-type`} label="Rule type" hint={type?.description}>
        <Select
          id={`${id}-type`}
          value={typeName}
          disabled={existing !== null}
          onChange={(e) => {
            setTypeName(e.target.value);
            setValues({});
          }}
        >
          {(existing ? ruleTypes.filter((t) => t.type === existing.rule_type) : applicable).map(
            (t) => (
              <option key={t.type} value={t.type}>
                {t.type}
              </option>
            ),
          )}
        </Select>
      </Field>

      {type && Object.keys(type.config_schema).length > 0 && (
        <div className="grid grid-cols-1 gap-4 rounded-lg border border-border bg-muted/30 p-3 sm:grid-cols-2">
          {Object.entries(type.config_schema).map(([key, kind]) => {
            const required = type.required_config.includes(key);
            return (
              <Field
                key={key}
                id={`${id}-cfg-${key}`}
                label={
                  <>
                    <code className="font-mono">{key}</code>
                    {required ? <span className="text-destructive"> *</span> : null}
                  </>
                }
                hint={HINTS[kind]}
                error={touched ? built.errors[key] : undefined}
                className={kind === 'list' || kind === 'str' ? 'sm:col-span-2' : undefined}
              >
                <Input
                  id={`${id}-cfg-${key}`}
                  aria-label={key}
                  inputMode={kind === 'int' || kind === 'number' ? 'decimal' : undefined}
                  className={kind === 'str' || kind === 'any' ? 'font-mono' : undefined}
                  value={values[key] ?? ''}
                  onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
                />
              </Field>
            );
          })}
        </div>
      )}

      <Field
        id={`${id}-message`}
        label="Error message"
        hint="Optional; leave empty for the default shown above"
      >
        <Input
          id={`${id}-message`}
          value={message}
          placeholder={type ? renderMessage(type.default_message, built.config) : ''}
          onChange={(e) => setMessage(e.target.value)}
        />
      </Field>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 sm:items-end">
        <Field id={`${id}-priority`} label="Priority" hint="Lower runs first" error={priorityError}>
          <Input
            id={`${id}-priority`}
            inputMode="numeric"
            value={priority}
            onChange={(e) => setPriority(e.target.value)}
          />
        </Field>
        <SwitchRow
          id={`${id}-active`}
          label="Active"
          hint="Inactive rules are kept but skipped"
          checked={active}
          onCheckedChange={setActive}
        />
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" loading={mutation.isPending} disabled={!type}>
          {existing ? 'Save rule' : 'Add rule'}
        </Button>
      </DialogFooter>
    </form>
  );
}
