import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';

/** A signing secret, shown once, with copy. */
export function SecretReveal({
  secret,
  onDone,
  doneLabel = 'I have saved the secret',
}: {
  secret: string;
  onDone: () => void;
  doneLabel?: string;
}) {
  return (
    <div className="grid gap-4" data-testid="webhook-secret">
      <Alert tone="warning" title="This secret will not be shown again">
        Store it with the receiving service; it verifies the signature of every delivery. If you
        lose it, rotate it.
      </Alert>
      <div className="grid gap-1.5">
        <label htmlFor="webhook-secret-value" className="text-sm font-medium">
          Signing secret
        </label>
        <div className="flex gap-2">
          <Input
            id="webhook-secret-value"
            readOnly
            value={secret}
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
            data-testid="webhook-secret-value"
          />
          <CopyButton value={secret} label="Copy secret" variant="primary" size="md" />
        </div>
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={onDone}>
          {doneLabel}
        </Button>
      </DialogFooter>
    </div>
  );
}

/** The dialog a rotated secret appears in. */
export function SecretDialog({
  title,
  secret,
  onClose,
}: {
  title: string;
  secret: string | null;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={secret !== null}
      onOpenChange={(o) => !o && onClose()}
      title={title}
      description="The old secret stops working now. Update the receiving service."
    >
      {secret && <SecretReveal secret={secret} onDone={onClose} />}
    </Dialog>
  );
}
