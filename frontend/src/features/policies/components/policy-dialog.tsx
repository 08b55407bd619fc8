import { useQuery } from '@tanstack/react-query';
import { Dialog } from '@/components/ui/dialog';
import type { BuilderField } from '@/components/condition-builder/condition-builder';
import { PolicyForm } from '@/components/policy-editor/policy-form';
import type { PolicyDraft } from '@/components/policy-editor/principals';
import { useCreatePolicies, useUpdatePolicy } from '../api/policy-mutations';
import { policyRolesQueryOptions } from '../api/policies-query';
import {
  POLICY_ACTIONS,
  splitList,
  type Policy,
  type PolicyAction,
  type PolicyInput,
  type Principal,
} from '../types';

interface PolicyDialogProps {
  projectId: string;
  collection: string;
  fields: BuilderField[];
  /** A policy to edit, `new`, or null when closed. */
  policy: Policy | 'new' | null;
  onClose: () => void;
}

const LIST_AND_READ = {
  actions: ['list', 'read'] as const,
  label: 'List and read together',
  hint: 'Also create the same policy for the other of list (many rows) and read (one row by id); most apps want both.',
};

function toDraft(p: Policy): PolicyDraft {
  return {
    name: p.name,
    action: p.action,
    effect: p.effect,
    condition: p.condition ?? null,
    priority: p.priority,
    is_active: p.is_active,
    // The server only stores the principals it accepts.
    allowed_principals: splitList(p.allowed_principals) as Principal[],
    allowed_roles: splitList(p.allowed_roles),
    require_email_verified: p.require_email_verified,
    read_fields: p.read_fields ?? null,
    write_fields: p.write_fields ?? null,
  };
}

const toInput = (d: PolicyDraft): PolicyInput => ({ ...d, action: d.action as PolicyAction });

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
        <CollectionPolicyForm
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

function CollectionPolicyForm({
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
  const create = useCreatePolicies(projectId, collection);
  const update = useUpdatePolicy(projectId, collection);
  const mutation = policy ? update : create;
  return (
    <PolicyForm
      actions={POLICY_ACTIONS}
      pair={LIST_AND_READ}
      readAction="list"
      fields={fields}
      roles={(roles.data ?? []).map((r) => r.name)}
      policy={policy ? toDraft(policy) : null}
      fieldLists
      pending={mutation.isPending}
      error={mutation.error}
      onCancel={onDone}
      onSubmit={(drafts) => {
        if (policy) update.mutate({ id: policy.id, ...toInput(drafts[0]!) }, { onSuccess: onDone });
        else create.mutate(drafts.map(toInput), { onSuccess: onDone });
      }}
    />
  );
}
