import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { BuilderField } from '@/components/condition-builder/condition-builder';
import { PolicyActionEffectCells, PolicyNameCell } from '@/components/policy-editor/policy-cells';
import { PolicyForm } from '@/components/policy-editor/policy-form';
import type { PolicyDraft, Principal } from '@/components/policy-editor/principals';
import { useSaveBucketPolicies } from '../api/file-mutations';
import { bucketRolesQueryOptions, useBuckets } from '../api/files-query';
import type { BucketPolicy, BucketPolicyInput } from '../types';

/** The file columns a bucket policy's condition may name (the server's files meta). */
export const FILE_POLICY_FIELDS: BuilderField[] = [
  { name: 'original_filename', type: 'string' },
  { name: 'content_type', type: 'string' },
  { name: 'size_bytes', type: 'int' },
  { name: 'is_public', type: 'bool' },
  { name: 'filename', type: 'string' },
  { name: 'collection_id', type: 'uuid' },
  { name: 'record_id', type: 'string' },
  { name: 'field_name', type: 'string' },
  { name: 'uploaded_by_user_id', type: 'uuid' },
  { name: 'id', type: 'uuid', system: true },
  { name: 'created_by_app_user_id', type: 'uuid', system: true },
  { name: 'created_at', type: 'datetime', system: true },
];

const BUCKET_ACTIONS = ['read', 'write'] as const;
const READ_AND_WRITE = {
  actions: BUCKET_ACTIONS,
  label: 'Read and write together',
  hint: 'Also create the same policy for the other action: read = list, get, download and sign; write = upload and delete.',
};

const keep = (p: BucketPolicy): BucketPolicyInput => {
  const { created_at: _created, ...rest } = p;
  return rest;
};

const fromDraft = (d: PolicyDraft, id?: string): BucketPolicyInput => ({
  ...(id ? { id } : {}),
  name: d.name,
  action: d.action === 'write' ? 'write' : 'read',
  effect: d.effect,
  condition: d.condition,
  is_active: d.is_active,
  priority: d.priority,
  allowed_principals: d.allowed_principals,
  require_email_verified: d.require_email_verified,
  allowed_roles: d.allowed_roles,
});

const toDraft = (p: BucketPolicy): PolicyDraft => ({
  name: p.name,
  action: p.action,
  effect: p.effect,
  condition: p.condition ?? null,
  priority: p.priority,
  is_active: p.is_active,
  allowed_principals: p.allowed_principals as Principal[],
  allowed_roles: p.allowed_roles,
  require_email_verified: p.require_email_verified,
  read_fields: null,
  write_fields: null,
});

interface BucketPoliciesDialogProps {
  projectId: string;
  /** The bucket whose policies are edited; null when closed. */
  bucketName: string | null;
  onClose: () => void;
}

/** Read and write policies of one bucket, in the collection policy language and editor. */
export function BucketPoliciesDialog({
  projectId,
  bucketName,
  onClose,
}: BucketPoliciesDialogProps) {
  const { data: buckets } = useBuckets(projectId);
  const bucket = buckets.find((b) => b.name === bucketName) ?? null;
  const [editing, setEditing] = useState<BucketPolicy | 'new' | null>(null);
  const roles = useQuery({ ...bucketRolesQueryOptions(projectId), enabled: bucket !== null });
  const save = useSaveBucketPolicies(projectId);
  const policies = bucket?.policies ?? [];

  const close = () => {
    setEditing(null);
    save.reset();
    onClose();
  };

  return (
    <Dialog
      open={bucket !== null}
      onOpenChange={(o) => !o && close()}
      title={
        editing === null
          ? `Bucket policies: ${bucket?.name ?? ''}`
          : editing === 'new'
            ? 'New bucket policy'
            : 'Edit bucket policy'
      }
      description="Who may read (list, get, download, sign) and write (upload, delete) files of this bucket. With no policies only project admins and API keys can."
      className="sm:max-w-5xl"
    >
      {bucket && editing !== null ? (
        <PolicyForm
          actions={BUCKET_ACTIONS}
          pair={READ_AND_WRITE}
          readAction="read"
          fields={FILE_POLICY_FIELDS}
          roles={(roles.data ?? []).map((r) => r.name)}
          policy={editing === 'new' ? null : toDraft(editing)}
          fieldLists={false}
          pending={save.isPending}
          error={save.error}
          onCancel={() => {
            save.reset();
            setEditing(null);
          }}
          onSubmit={(drafts) => {
            const next =
              editing === 'new'
                ? [...policies.map(keep), ...drafts.map((d) => fromDraft(d))]
                : policies.map((p) =>
                    p.id === editing.id ? fromDraft(drafts[0]!, p.id) : keep(p),
                  );
            save.mutate(
              {
                name: bucket.name,
                policies: next,
                done:
                  editing === 'new'
                    ? `Policy “${drafts[0]?.name ?? ''}” added to “${bucket.name}”`
                    : `Policy “${drafts[0]?.name ?? ''}” saved`,
              },
              { onSuccess: () => setEditing(null) },
            );
          }}
        />
      ) : (
        bucket && (
          <div className="space-y-4">
            <ProblemAlert error={save.error} />
            {policies.length === 0 ? (
              <p className="rounded-md border border-dashed border-border px-4 py-8 text-center text-sm text-muted-foreground">
                No policies: only project admins and API keys can use “{bucket.name}”.
              </p>
            ) : (
              <Table aria-label={`Policies of bucket ${bucket.name}`}>
                <THead>
                  <tr>
                    <TH>Name</TH>
                    <TH>Action</TH>
                    <TH>Effect</TH>
                    <TH>Principals</TH>
                    <TH>
                      <span className="sr-only">Actions</span>
                    </TH>
                  </tr>
                </THead>
                <TBody>
                  {policies.map((p) => (
                    <TR key={p.id} data-testid="bucket-policy-row" data-policy-name={p.name}>
                      <PolicyNameCell
                        name={p.name}
                        inactive={!p.is_active}
                        condition={p.condition === null ? null : JSON.stringify(p.condition)}
                      />
                      <PolicyActionEffectCells action={p.action} effect={p.effect} />
                      <TD className="text-xs">
                        {(p.allowed_principals.length
                          ? p.allowed_principals
                          : ['admin_user', 'api_key']
                        ).join(', ')}
                        {p.allowed_roles.length > 0 && (
                          <span className="block text-muted-foreground">
                            roles: {p.allowed_roles.join(', ')}
                          </span>
                        )}
                      </TD>
                      <TD>
                        <div className="flex justify-end gap-1">
                          <Button
                            variant="ghost"
                            size="icon"
                            aria-label={`Edit ${p.name} (${p.action})`}
                            onClick={() => setEditing(p)}
                          >
                            <Pencil aria-hidden="true" />
                          </Button>
                          <Button
                            variant="ghost"
                            size="icon"
                            aria-label={`Delete ${p.name} (${p.action})`}
                            className="text-muted-foreground hover:text-destructive"
                            loading={save.isPending}
                            onClick={() =>
                              save.mutate({
                                name: bucket.name,
                                policies: policies.filter((x) => x.id !== p.id).map(keep),
                                done: `Policy “${p.name}” (${p.action}) deleted`,
                              })
                            }
                          >
                            <Trash2 aria-hidden="true" />
                          </Button>
                        </div>
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            )}
            <div className="flex justify-between gap-2 border-t border-border pt-4">
              <Button variant="outline" onClick={close}>
                Close
              </Button>
              <Button onClick={() => setEditing('new')}>
                <Plus aria-hidden="true" />
                Add policy
              </Button>
            </div>
          </div>
        )
      )}
    </Dialog>
  );
}
