import { useState, type FormEvent } from 'react';
import { ConnectButton } from '@/components/connect/connect-panel';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { cn } from '@/lib/utils';
import { useCreateApiKey } from '../api/api-key-mutations';
import { KEY_KINDS, type ApiKeyKind, type CreatedApiKey } from '../types';

interface CreateApiKeyDialogProps {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

function todayIso(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 10);
}

/** Two steps: the form, then the plaintext key, shown once. */
export function CreateApiKeyDialog({ projectId, open, onOpenChange }: CreateApiKeyDialogProps) {
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  function change(next: boolean) {
    if (!next) setCreated(null);
    onOpenChange(next);
  }

  return (
    <Dialog
      open={open}
      onOpenChange={change}
      title={created ? 'Save your API key' : 'Create API key'}
      description={
        created
          ? 'Copy it now and store it somewhere safe.'
          : 'API keys authenticate calls to the data API without a signed-in user. Keys never change the schema.'
      }
    >
      {created ? (
        <CreatedKey projectId={projectId} apiKey={created} onDone={() => change(false)} />
      ) : (
        <CreateKeyForm
          projectId={projectId}
          onCancel={() => change(false)}
          onCreated={setCreated}
        />
      )}
    </Dialog>
  );
}

function CreateKeyForm({
  projectId,
  onCancel,
  onCreated,
}: {
  projectId: string;
  onCancel: () => void;
  onCreated: (key: CreatedApiKey) => void;
}) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ApiKeyKind>('service');
  const [expires, setExpires] = useState('');
  const create = useCreateApiKey(projectId);

  function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    // The key stays valid through the whole chosen day, in the user's time zone.
    const expiresAt = expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined;
    create.mutate(
      { name: trimmed, kind, ...(expiresAt ? { expires_at: expiresAt } : {}) },
      { onSuccess: onCreated },
    );
  }

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-5">
      <Field
        id="api-key-name"
        label="Name"
        hint="What will use this key, e.g. “Production server”."
      >
        <Input
          id="api-key-name"
          autoFocus
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Production server"
        />
      </Field>
      <fieldset className="grid grid-cols-1 gap-2">
        <legend className="mb-1.5 text-sm font-medium">Kind</legend>
        {KEY_KINDS.map((k) => (
          <label
            key={k.kind}
            className={cn(
              'flex cursor-pointer gap-3 rounded-lg border p-3 transition-colors',
              'has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring',
              kind === k.kind ? 'border-primary bg-accent/50' : 'border-border hover:bg-muted/40',
            )}
          >
            <input
              type="radio"
              name="api-key-kind"
              value={k.kind}
              checked={kind === k.kind}
              onChange={() => setKind(k.kind)}
              className="mt-0.5 size-4 accent-primary"
            />
            <span className="grid gap-0.5">
              <span className="text-sm font-medium">{k.label}</span>
              <span className="text-xs text-muted-foreground">{k.description}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <Field
        id="api-key-expires"
        label={
          <>
            Expires on <span className="font-normal text-muted-foreground">(optional)</span>
          </>
        }
        hint="Leave empty for a key that never expires."
      >
        <Input
          id="api-key-expires"
          type="date"
          min={todayIso()}
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
        />
      </Field>
      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
          Create key
        </Button>
      </DialogFooter>
    </form>
  );
}

function CreatedKey({
  projectId,
  apiKey,
  onDone,
}: {
  projectId: string;
  apiKey: CreatedApiKey;
  onDone: () => void;
}) {
  return (
    <div className="grid grid-cols-1 gap-4" data-testid="api-key-created">
      <Alert tone="warning" title="This key will not be shown again">
        Backendify stores only a hash. If you lose it, revoke it and create a new one.
      </Alert>
      <div className="grid grid-cols-1 gap-1.5">
        <label htmlFor="plaintext-key" className="text-sm font-medium">
          {apiKey.name}
        </label>
        <div className="flex gap-2">
          <Input
            id="plaintext-key"
            readOnly
            value={apiKey.api_key}
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
            data-testid="plaintext-key"
          />
          <CopyButton value={apiKey.api_key} label="Copy key" variant="primary" size="md" />
        </div>
      </div>
      <p className="text-xs text-muted-foreground" data-testid="api-key-created-kind">
        Send it in the <code className="font-mono">X-API-Key</code> header.{' '}
        {apiKey.kind === 'public'
          ? 'A public key may ship in a browser or mobile app: it reaches only what your policies allow the principal “API key”.'
          : 'A service key passes every row policy: keep it on your servers, never ship it to a browser or mobile app.'}
      </p>
      <DialogFooter>
        <ConnectButton
          projectId={projectId}
          apiKey={{ api_key: apiKey.api_key, kind: apiKey.kind }}
          label="Connect with this key"
        />
        <Button variant="outline" onClick={onDone}>
          I have saved my key
        </Button>
      </DialogFooter>
    </div>
  );
}
