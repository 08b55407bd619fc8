import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { useCreateAppUser } from '../api/app-user-mutations';
import type { AppUser } from '../types';

interface CreateAppUserDialogProps {
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (user: AppUser) => void;
}

export function CreateAppUserDialog({
  projectId,
  open,
  onOpenChange,
  onCreated,
}: CreateAppUserDialogProps) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="New app user"
      description="Without a password, the user signs in with a magic link, a one-time code or OAuth, or sets one through a password reset."
    >
      <CreateForm
        projectId={projectId}
        onCancel={() => onOpenChange(false)}
        onCreated={(u) => {
          onOpenChange(false);
          onCreated(u);
        }}
      />
    </Dialog>
  );
}

function CreateForm({
  projectId,
  onCancel,
  onCreated,
}: {
  projectId: string;
  onCancel: () => void;
  onCreated: (user: AppUser) => void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [verified, setVerified] = useState(false);
  const [disabled, setDisabled] = useState(false);
  const create = useCreateAppUser(projectId);
  const passwordError =
    password && password.length < 8 ? 'At least 8 characters, or leave it empty.' : undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      {
        email: email.trim(),
        ...(password ? { password } : {}),
        is_email_verified: verified,
        is_disabled: disabled,
      },
      { onSuccess: onCreated },
    );
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      <Field id="new-user-email" label="Email">
        <Input
          id="new-user-email"
          type="email"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </Field>
      <Field id="new-user-password" label="Password (optional)" error={passwordError}>
        <Input
          id="new-user-password"
          type="password"
          autoComplete="new-password"
          value={password}
          aria-invalid={Boolean(passwordError)}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <div className="divide-y divide-border">
        <SwitchRow
          id="new-user-verified"
          label="Email verified"
          hint="Mark the address as confirmed."
          checked={verified}
          onCheckedChange={setVerified}
        />
        <SwitchRow
          id="new-user-disabled"
          label="Disabled"
          hint="A disabled user cannot sign in."
          checked={disabled}
          onCheckedChange={setDisabled}
        />
      </div>
      <ProblemAlert error={create.error} />
      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          type="submit"
          loading={create.isPending}
          disabled={!email.trim() || Boolean(passwordError)}
        >
          Create user
        </Button>
      </DialogFooter>
    </form>
  );
}
