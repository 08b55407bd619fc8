import { useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Code2, Workflow } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { Dialog } from '@/components/ui/dialog';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/lib/utils';
import { useCreatePolicy, useUpdatePolicy } from '../api/policy-mutations';
import { policyRolesQueryOptions } from '../api/policies-query';
import {
  UnsupportedCondition,
  fromCondition,
  incompleteRules,
  newRule,
  toCondition,
  type FieldTypes,
  type GroupNode,
} from '@/components/condition-builder/condition';
import {
  DEFAULT_PRINCIPALS,
  POLICY_ACTIONS,
  PRINCIPALS,
  splitList,
  type Policy,
  type PolicyAction,
  type PolicyEffect,
  type PolicyInput,
  type Principal,
} from '../types';
import {
  ConditionBuilder,
  type BuilderField,
} from '@/components/condition-builder/condition-builder';

interface PolicyDialogProps {
  projectId: string;
  collection: string;
  fields: BuilderField[];
  /** A policy to edit, `new`, or null when closed. */
  policy: Policy | 'new' | null;
  onClose: () => void;
}

export function PolicyDialog({
  projectId,
  collection,
  fields,
  policy,
  onClose,
}: PolicyDialogProps) {
  const isNew = policy === 'new';
  return (
    <Dialog
      open={policy !== null}
      onOpenChange={(o) => !o && onClose()}
      title={isNew ? 'New policy' : `Edit policy`}
      description={`Who may do what with rows of “${collection}”. Conditions compile to SQL and apply to every read and write path.`}
      className="sm:max-w-5xl"
    >
      {policy !== null && (
        <PolicyForm
          projectId={projectId}
          collection={collection}
          fields={fields}
          policy={isNew ? null : policy}
          onDone={onClose}
        />
      )}
    </Dialog>
  );
}

type Mode = 'builder' | 'json';

function initialCondition(policy: Policy | null): { mode: Mode; root: GroupNode; json: string } {
  const raw = policy?.condition ?? null;
  const json = raw === null ? '' : JSON.stringify(raw, null, 2);
  try {
    return { mode: 'builder', root: fromCondition(raw), json };
  } catch (e) {
    if (e instanceof UnsupportedCondition) return { mode: 'json', root: fromCondition(null), json };
    throw e;
  }
}

function FieldPicker({
  id,
  label,
  hint,
  options,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  options: string[];
  value: string[] | null;
  onChange: (v: string[] | null) => void;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby={`${id}-hint`}>
      <legend className="text-sm font-medium">{label}</legend>
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        {hint}
      </p>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          className="size-4 accent-primary"
          checked={value === null}
          onChange={(e) => onChange(e.target.checked ? null : [...options])}
        />
        All fields
      </label>
      {value !== null && (
        <div className="flex flex-wrap gap-x-4 gap-y-1.5 rounded-md border border-border p-2">
          {options.length === 0 && (
            <span className="text-xs text-muted-foreground">This collection has no fields.</span>
          )}
          {options.map((f) => (
            <label key={f} className="flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                aria-label={`${label}: ${f}`}
                checked={value.includes(f)}
                onChange={(e) =>
                  onChange(e.target.checked ? [...value, f] : value.filter((x) => x !== f))
                }
              />
              <code className="font-mono text-xs">{f}</code>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

function PolicyForm({
  projectId,
  collection,
  fields,
  policy,
  onDone,
}: {
  projectId: string;
  collection: string;
  fields: BuilderField[];
  policy: Policy | null;
  onDone: () => void;
}) {
  const roles = useQuery(policyRolesQueryOptions(projectId));
  const create = useCreatePolicy(projectId, collection);
  const update = useUpdatePolicy(projectId, collection);
  const mutation = policy ? update : create;

  const [name, setName] = useState(policy?.name ?? '');
  const [action, setAction] = useState<PolicyAction>(policy?.action ?? 'list');
  const [effect, setEffect] = useState<PolicyEffect>(policy?.effect ?? 'allow');
  const [priority, setPriority] = useState(String(policy?.priority ?? 0));
  const [active, setActive] = useState(policy?.is_active ?? true);
  const [principals, setPrincipals] = useState<Principal[]>(
    // The server only stores the principals it accepts.
    policy ? (splitList(policy.allowed_principals) as Principal[]) : ['app_user'],
  );
  const [allowedRoles, setAllowedRoles] = useState<string[]>(splitList(policy?.allowed_roles));
  const [requireVerified, setRequireVerified] = useState(policy?.require_email_verified ?? false);
  const [readFields, setReadFields] = useState<string[] | null>(policy?.read_fields ?? null);
  const [writeFields, setWriteFields] = useState<string[] | null>(policy?.write_fields ?? null);
  const initial = useMemo(() => initialCondition(policy), [policy]);
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [root, setRoot] = useState<GroupNode>(() =>
    policy ? initial.root : { ...initial.root, children: [] },
  );
  const [json, setJson] = useState(initial.json);
  const [jsonError, setJsonError] = useState<string | null>(null);

  const types: FieldTypes = useMemo(
    () => Object.fromEntries(fields.map((f) => [f.name, f.type])),
    [fields],
  );
  const userFields = fields.filter((f) => !f.system).map((f) => f.name);
  const builderCondition = toCondition(root, types);
  const preview =
    mode === 'builder'
      ? builderCondition === null
        ? 'null'
        : JSON.stringify(builderCondition, null, 2)
      : json.trim() || 'null';
  const priorityError = /^-?\d+$/.test(priority.trim()) ? undefined : 'A whole number';
  const missing = mode === 'builder' ? incompleteRules(root) : 0;

  function switchMode(next: Mode) {
    if (next === mode) return;
    if (next === 'json') {
      setJson(builderCondition === null ? '' : JSON.stringify(builderCondition, null, 2));
      setJsonError(null);
      setMode('json');
      return;
    }
    try {
      setRoot(fromCondition(json.trim() ? (JSON.parse(json) as unknown) : null));
      setJsonError(null);
      setMode('builder');
    } catch (e) {
      setJsonError(
        e instanceof UnsupportedCondition
          ? `The visual builder cannot show this condition (${e.message}); keep editing it as JSON.`
          : `Invalid JSON: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    let condition: unknown = builderCondition;
    if (mode === 'json') {
      try {
        condition = json.trim() ? (JSON.parse(json) as unknown) : null;
      } catch (err) {
        setJsonError(`Invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
    }
    const body: PolicyInput = {
      name: name.trim(),
      action,
      effect,
      condition,
      priority: Number(priority),
      is_active: active,
      allowed_principals: principals,
      allowed_roles: allowedRoles,
      require_email_verified: requireVerified,
      read_fields: readFields,
      write_fields: writeFields,
    };
    if (policy) update.mutate({ id: policy.id, ...body }, { onSuccess: onDone });
    else create.mutate(body, { onSuccess: onDone });
  }

  const effectivePrincipals = principals.length ? principals : DEFAULT_PRINCIPALS;
  const roleNames = (roles.data ?? []).map((r) => r.name);
  const unknownRoles = allowedRoles.filter((r) => !roleNames.includes(r));

  return (
    <form onSubmit={submit} className="space-y-5" aria-label="Policy">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field id="policy-name" label="Name" className="lg:col-span-2">
          <Input
            id="policy-name"
            required
            maxLength={63}
            autoFocus
            placeholder="owner can list"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field id="policy-action" label="Action">
          <Select
            id="policy-action"
            value={action}
            onChange={(e) => setAction(e.target.value as PolicyAction)}
          >
            {POLICY_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="policy-priority" label="Priority" hint="Higher runs first" error={priorityError}>
          <Input
            id="policy-priority"
            inputMode="numeric"
            value={priority}
            aria-invalid={Boolean(priorityError)}
            onChange={(e) => setPriority(e.target.value)}
          />
        </Field>
      </div>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Effect</legend>
          <div className="flex gap-2">
            {(['allow', 'deny'] as const).map((e) => (
              <label
                key={e}
                className={cn(
                  'flex flex-1 cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm',
                  effect === e
                    ? e === 'allow'
                      ? 'border-success bg-success/10'
                      : 'border-destructive bg-destructive/10'
                    : 'border-border',
                )}
              >
                <input
                  type="radio"
                  name="policy-effect"
                  className="accent-primary"
                  checked={effect === e}
                  onChange={() => setEffect(e)}
                />
                <span className="font-medium capitalize">{e}</span>
                <span className="text-xs text-muted-foreground">
                  {e === 'allow' ? 'rows matching are allowed' : 'rows matching are refused'}
                </span>
              </label>
            ))}
          </div>
          <SwitchRow
            id="policy-active"
            label="Active"
            hint="Inactive policies are kept but ignored."
            checked={active}
            onCheckedChange={setActive}
          />
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Applies to</legend>
          <div className="grid grid-cols-2 gap-2">
            {PRINCIPALS.map((p) => (
              <label
                key={p.value}
                className="flex cursor-pointer items-start gap-2 rounded-md border border-border px-3 py-2 text-sm"
              >
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 accent-primary"
                  checked={principals.includes(p.value)}
                  onChange={(e) =>
                    setPrincipals(
                      e.target.checked
                        ? [...principals, p.value]
                        : principals.filter((x) => x !== p.value),
                    )
                  }
                />
                <span>
                  <span className="font-medium">{p.label}</span>{' '}
                  <code className="font-mono text-[11px] text-muted-foreground">{p.value}</code>
                  <span className="block text-xs text-muted-foreground">{p.hint}</span>
                </span>
              </label>
            ))}
          </div>
          {principals.length === 0 && (
            <p className="text-xs text-muted-foreground">
              None chosen: the server applies it to {DEFAULT_PRINCIPALS.join(' and ')}.
            </p>
          )}
          <p className="text-xs text-muted-foreground" data-testid="policy-affects">
            Project admins and <strong className="font-medium">service</strong> API keys are never
            limited by policies. Once a collection has a policy for an action, everyone else (public
            API keys included) gets only what a policy allows.
          </p>
        </fieldset>
      </div>

      {effectivePrincipals.includes('app_user') && (
        <div className="grid grid-cols-1 gap-6 rounded-lg border border-border p-4 lg:grid-cols-2">
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Allowed roles</legend>
            <p className="text-xs text-muted-foreground">
              App users must hold one of these roles. None = any app user.
            </p>
            <div className="flex flex-wrap gap-x-4 gap-y-1.5">
              {roleNames.length === 0 && unknownRoles.length === 0 && (
                <span className="text-xs text-muted-foreground">
                  No roles in this project yet (create them on the Roles page).
                </span>
              )}
              {[...roleNames, ...unknownRoles].map((r) => (
                <label key={r} className="flex items-center gap-1.5 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    aria-label={`Allowed role ${r}`}
                    checked={allowedRoles.includes(r)}
                    onChange={(e) =>
                      setAllowedRoles(
                        e.target.checked
                          ? [...allowedRoles, r]
                          : allowedRoles.filter((x) => x !== r),
                      )
                    }
                  />
                  <code className="font-mono text-xs">{r}</code>
                </label>
              ))}
            </div>
          </fieldset>
          <SwitchRow
            id="policy-require-verified"
            label="Require a verified email"
            hint="App users whose email is not verified are skipped by this policy."
            checked={requireVerified}
            onCheckedChange={setRequireVerified}
          />
        </div>
      )}

      <section aria-label="Condition" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div>
            <h3 className="text-sm font-semibold">Row condition</h3>
            <p className="text-xs text-muted-foreground">
              Which rows this policy decides. Variables resolve per request, e.g.{' '}
              <code className="font-mono">$current_app_user_id</code>.
            </p>
          </div>
          <div
            role="tablist"
            aria-label="Condition editor"
            className="flex rounded-md bg-muted p-0.5"
          >
            {(
              [
                ['builder', 'Visual builder', Workflow],
                ['json', 'JSON', Code2],
              ] as const
            ).map(([m, label, Icon]) => (
              <button
                key={m}
                type="button"
                role="tab"
                aria-selected={mode === m}
                onClick={() => switchMode(m)}
                className={cn(
                  'flex cursor-pointer items-center gap-1.5 rounded px-3 py-1 text-xs font-medium',
                  mode === m ? 'bg-card shadow-xs' : 'text-muted-foreground',
                )}
              >
                <Icon className="size-3.5" aria-hidden="true" />
                {label}
              </button>
            ))}
          </div>
        </div>
        {jsonError && <Alert tone="warning">{jsonError}</Alert>}
        <div className="grid grid-cols-1 gap-4 2xl:grid-cols-[1fr_20rem]">
          {mode === 'builder' ? (
            <div className="space-y-2">
              <ConditionBuilder root={root} fields={fields} onChange={setRoot} />
              {root.children.length === 0 && (
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() =>
                    setRoot({
                      ...root,
                      children: [
                        {
                          ...newRule('created_by_app_user_id'),
                          source: '$current_app_user_id',
                        },
                      ],
                    })
                  }
                >
                  Start from “owner only” (created_by_app_user_id = $current_app_user_id)
                </Button>
              )}
            </div>
          ) : (
            <Textarea
              aria-label="Condition JSON"
              className="min-h-56 font-mono text-xs"
              spellCheck={false}
              value={json}
              onChange={(e) => setJson(e.target.value)}
              placeholder='{"created_by_app_user_id": {"$eq": "$current_app_user_id"}}'
            />
          )}
          <div data-testid="condition-preview">
            <CodeBlock code={preview} label="Condition sent to the server" />
          </div>
        </div>
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <FieldPicker
          id="policy-read-fields"
          label="Readable fields"
          hint="Fields returned to principals this policy lets in."
          options={userFields}
          value={readFields}
          onChange={setReadFields}
        />
        <FieldPicker
          id="policy-write-fields"
          label="Writable fields"
          hint="Fields they may set on create and update."
          options={userFields}
          value={writeFields}
          onChange={setWriteFields}
        />
      </div>

      <ProblemAlert error={mutation.error} />
      <div className="flex items-center justify-end gap-2 border-t border-border pt-4">
        {missing > 0 && (
          <span className="mr-auto text-xs text-warning">
            {missing} rule{missing === 1 ? '' : 's'} without a field.
          </span>
        )}
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button
          type="submit"
          loading={mutation.isPending}
          disabled={!name.trim() || Boolean(priorityError) || missing > 0}
        >
          {policy ? 'Save policy' : 'Create policy'}
        </Button>
      </div>
    </form>
  );
}
