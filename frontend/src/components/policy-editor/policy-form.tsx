import { useMemo, useState, type FormEvent } from 'react';
import { DialogFooter } from '@/components/ui/dialog';
import { Code2, Wand2, Workflow } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/lib/utils';
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
  ConditionBuilder,
  type BuilderField,
} from '@/components/condition-builder/condition-builder';
import {
  ACTOR_COLUMNS,
  DEFAULT_PRINCIPALS,
  PRINCIPALS,
  type PolicyDraft,
  type PolicyEffect,
  type Principal,
} from './principals';
import { POLICY_TEMPLATES, type PolicyTemplate } from './templates';

export interface PolicyPair {
  actions: readonly [string, string];
  label: string;
  hint: string;
}

export interface PolicyFormProps {
  /** The actions this kind of policy decides (collections: list…delete; buckets: read, write). */
  actions: readonly string[];
  /** Two actions one switch sets together; new policies only. */
  pair?: PolicyPair;
  /** The action templates grant reading with. */
  readAction: string;
  fields: BuilderField[];
  roles: string[];
  /** The policy being edited; null makes a new one (and offers the templates). */
  policy: PolicyDraft | null;
  /** Offer readable/writable field lists (collections). */
  fieldLists: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (drafts: PolicyDraft[]) => void;
  onCancel: () => void;
}

type Mode = 'builder' | 'json';

function initialCondition(policy: PolicyDraft | null): {
  mode: Mode;
  root: GroupNode;
  json: string;
} {
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
  extra,
  extraLabel,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  options: string[];
  /** System columns offered after the fields, e.g. who wrote the row. */
  extra?: readonly string[];
  extraLabel?: string;
  value: string[] | null;
  onChange: (v: string[] | null) => void;
}) {
  const box = (f: string) => (
    <label key={f} className="flex items-center gap-1.5 text-sm">
      <input
        type="checkbox"
        className="size-4 accent-primary"
        aria-label={`${label}: ${f}`}
        checked={value?.includes(f) ?? false}
        onChange={(e) =>
          value && onChange(e.target.checked ? [...value, f] : value.filter((x) => x !== f))
        }
      />
      <code className="font-mono text-xs">{f}</code>
    </label>
  );
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
        <div className="space-y-2 rounded-md border border-border p-2">
          <div className="flex flex-wrap gap-x-4 gap-y-1.5">
            {options.length === 0 && (
              <span className="text-xs text-muted-foreground">This collection has no fields.</span>
            )}
            {options.map(box)}
          </div>
          {extra && extra.length > 0 && (
            <div className="flex flex-wrap items-center gap-x-4 gap-y-1.5 border-t border-border pt-2">
              <span className="text-xs text-muted-foreground">{extraLabel}</span>
              {extra.map(box)}
            </div>
          )}
        </div>
      )}
    </fieldset>
  );
}

function Templates({
  roles,
  onApply,
}: {
  roles: string[];
  onApply: (t: PolicyTemplate, role: string | undefined) => void;
}) {
  const [picked, setPicked] = useState('');
  // Roles may load after the form opens: until one is picked, the first is proposed.
  const role = roles.includes(picked) ? picked : (roles[0] ?? '');
  return (
    <section aria-label="Templates" className="space-y-2">
      <h3 className="flex items-center gap-1.5 text-sm font-semibold">
        <Wand2 className="size-4 text-primary" aria-hidden="true" />
        Start from a template
      </h3>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 xl:grid-cols-4">
        {POLICY_TEMPLATES.map((t) => (
          <div
            key={t.id}
            className="flex flex-col gap-2 rounded-md border border-border p-3"
            data-testid="policy-template"
          >
            <p className="text-xs text-muted-foreground">{t.summary}</p>
            {t.id === 'role-read-only' && (
              <Select
                aria-label="Template role"
                className="h-8"
                value={role}
                onChange={(e) => setPicked(e.target.value)}
                disabled={roles.length === 0}
              >
                {roles.length === 0 && <option value="">No roles yet</option>}
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </Select>
            )}
            <Button
              variant="outline"
              size="sm"
              className="mt-auto"
              disabled={t.id === 'role-read-only' && !role}
              onClick={() => onApply(t, role || undefined)}
            >
              {t.label}
            </Button>
          </div>
        ))}
      </div>
    </section>
  );
}

/**
 * The one policy editor: who (principals, roles, verified email), which action, which rows (the
 * condition builder or JSON) and which fields. Collections and buckets both use it.
 */
export function PolicyForm({
  actions,
  pair,
  readAction,
  fields,
  roles,
  policy,
  fieldLists,
  pending,
  error,
  onSubmit,
  onCancel,
}: PolicyFormProps) {
  const [name, setName] = useState(policy?.name ?? '');
  const [action, setAction] = useState<string>(policy?.action ?? actions[0] ?? '');
  const [paired, setPaired] = useState(false);
  const [effect, setEffect] = useState<PolicyEffect>(policy?.effect ?? 'allow');
  const [priority, setPriority] = useState(String(policy?.priority ?? 0));
  const [active, setActive] = useState(policy?.is_active ?? true);
  const [principals, setPrincipals] = useState<Principal[]>(
    policy ? policy.allowed_principals : ['app_user'],
  );
  const [allowedRoles, setAllowedRoles] = useState<string[]>(policy?.allowed_roles ?? []);
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
  const actorFields = ACTOR_COLUMNS.filter((c) => fields.some((f) => f.name === c));
  const builderCondition = toCondition(root, types);
  const preview =
    mode === 'builder'
      ? builderCondition === null
        ? 'null'
        : JSON.stringify(builderCondition, null, 2)
      : json.trim() || 'null';
  const priorityError = /^-?\d+$/.test(priority.trim()) ? undefined : 'A whole number';
  const missing = mode === 'builder' ? incompleteRules(root) : 0;
  const pairOffered = !policy && pair !== undefined && pair.actions.includes(action);
  const submitActions = pairOffered && paired && pair ? [...pair.actions] : [action];

  function applyTemplate(t: PolicyTemplate, role: string | undefined) {
    const r = t.apply({ readAction, role });
    setName(r.name);
    setAction(r.action);
    setPaired(r.paired);
    setEffect('allow');
    setPriority('0');
    setActive(true);
    setPrincipals(r.principals);
    setAllowedRoles(r.roles);
    setRequireVerified(false);
    setReadFields(null);
    setWriteFields(null);
    setRoot(r.root);
    setMode('builder');
    setJsonError(null);
  }

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
    const draft = (a: string): PolicyDraft => ({
      name: name.trim(),
      action: a,
      effect,
      condition,
      priority: Number(priority),
      is_active: active,
      allowed_principals: principals,
      allowed_roles: allowedRoles,
      require_email_verified: requireVerified,
      read_fields: readFields,
      write_fields: writeFields,
    });
    onSubmit(submitActions.map(draft));
  }

  const effectivePrincipals = principals.length ? principals : DEFAULT_PRINCIPALS;
  const unknownRoles = allowedRoles.filter((r) => !roles.includes(r));
  const anonymous = effectivePrincipals.includes('anonymous');

  return (
    <form onSubmit={submit} className="space-y-5" aria-label="Policy">
      {!policy && <Templates roles={roles} onApply={applyTemplate} />}

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
          <Select id="policy-action" value={action} onChange={(e) => setAction(e.target.value)}>
            {actions.map((a) => (
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
      {pairOffered && pair && (
        <SwitchRow
          id="policy-pair"
          label={pair.label}
          hint={pair.hint}
          checked={paired}
          onCheckedChange={setPaired}
        />
      )}

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
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
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
            limited by policies. Once there is a policy for an action, everyone else (public API
            keys included) gets only what a policy allows.
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
              {roles.length === 0 && unknownRoles.length === 0 && (
                <span className="text-xs text-muted-foreground">
                  No roles in this project yet (create them on the Roles page).
                </span>
              )}
              {[...roles, ...unknownRoles].map((r) => (
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
              {/* New policies have the templates; an edited one may still start over from owner-only. */}
              {policy &&
                root.children.length === 0 &&
                fields.some((f) => f.name === 'created_by_app_user_id') && (
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

      {fieldLists && (
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <FieldPicker
            id="policy-read-fields"
            label="Readable fields"
            hint={
              anonymous
                ? 'Fields returned to principals this policy lets in. Anonymous callers never see who wrote a row unless you tick those columns here.'
                : 'Fields returned to principals this policy lets in.'
            }
            options={userFields}
            extra={anonymous ? actorFields : undefined}
            extraLabel="Who wrote the row:"
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
      )}

      <ProblemAlert error={error} />
      <DialogFooter className="items-center">
        {missing > 0 && (
          <span className="mr-auto text-xs text-warning">
            {missing} rule{missing === 1 ? '' : 's'} without a field.
          </span>
        )}
        {submitActions.length > 1 && (
          <span className="mr-auto text-xs text-muted-foreground" data-testid="policy-pair-note">
            Creates two policies: {submitActions.join(' and ')}.
          </span>
        )}
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          type="submit"
          loading={pending}
          disabled={!name.trim() || Boolean(priorityError) || missing > 0 || !action}
        >
          {policy ? 'Save policy' : 'Create policy'}
        </Button>
      </DialogFooter>
    </form>
  );
}
