import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { useReplay } from '../api/webhook-mutations';

interface ReplayDialogProps {
  projectId: string;
  webhookId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

const local = (d: Date) => {
  const x = new Date(d);
  x.setMinutes(x.getMinutes() - x.getTimezoneOffset());
  return x.toISOString().slice(0, 16);
};

/** Sends every matching event of a time range again (at most 10,000). */
export function ReplayDialog({ projectId, webhookId, open, onOpenChange }: ReplayDialogProps) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Replay events"
      description="Queue a new delivery for every event of the range this webhook subscribes to (at most 10,000). Receivers see the same X-Webhook-Id as the first time."
    >
      <ReplayForm projectId={projectId} webhookId={webhookId} onDone={() => onOpenChange(false)} />
    </Dialog>
  );
}

function ReplayForm({
  projectId,
  webhookId,
  onDone,
}: {
  projectId: string;
  webhookId: string;
  onDone: () => void;
}) {
  const [from, setFrom] = useState(() => local(new Date(Date.now() - 3600_000)));
  const [to, setTo] = useState(() => local(new Date()));
  const replay = useReplay(projectId, webhookId);
  const valid = from !== '' && to !== '' && from < to;
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!valid) return;
    replay.mutate(
      { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      { onSuccess: onDone },
    );
  }
  return (
    <form onSubmit={submit} className="grid gap-4">
      <ProblemAlert error={replay.error} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="replay-from" label="From">
          <Input
            id="replay-from"
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </Field>
        <Field id="replay-to" label="To" error={valid ? undefined : 'Must be after “From”'}>
          <Input
            id="replay-to"
            type="datetime-local"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </Field>
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={!valid} loading={replay.isPending}>
          Replay events
        </Button>
      </DialogFooter>
    </form>
  );
}
