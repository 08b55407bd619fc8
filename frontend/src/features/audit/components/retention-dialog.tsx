import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { useSaveAuditSettings } from '../api/audit-mutations';
import type { AuditSettings } from '../types';

interface RetentionDialogProps {
  projectId: string;
  settings: AuditSettings | undefined;
  canEdit: boolean;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/** How long the audit log keeps events: by age and/or by count; empty keeps them forever. */
export function RetentionDialog({
  projectId,
  settings,
  canEdit,
  open,
  onOpenChange,
}: RetentionDialogProps) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Audit retention"
      description="An hourly job deletes older events in batches. Leave a field empty to keep events without that limit."
    >
      <RetentionForm
        key={`${settings?.retention_days}-${settings?.max_rows}`}
        projectId={projectId}
        settings={settings}
        canEdit={canEdit}
        onDone={() => onOpenChange(false)}
      />
    </Dialog>
  );
}

function RetentionForm({
  projectId,
  settings,
  canEdit,
  onDone,
}: {
  projectId: string;
  settings: AuditSettings | undefined;
  canEdit: boolean;
  onDone: () => void;
}) {
  const [days, setDays] = useState(settings?.retention_days?.toString() ?? '');
  const [rows, setRows] = useState(settings?.max_rows?.toString() ?? '');
  const save = useSaveAuditSettings(projectId);
  const num = (v: string) => (v.trim() === '' ? null : Number(v));

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ retention_days: num(days), max_rows: num(rows) }, { onSuccess: onDone });
  }

  return (
    <form onSubmit={submit} className="grid gap-4">
      {!canEdit && (
        <Alert tone="info">Only project owners and admins can change the retention.</Alert>
      )}
      <ProblemAlert error={save.error} />
      <Field id="retention-days" label="Keep events for (days)" hint="1 to 36500. Empty: forever.">
        <Input
          id="retention-days"
          type="number"
          min={1}
          max={36500}
          step={1}
          value={days}
          disabled={!canEdit}
          onChange={(e) => setDays(e.target.value)}
          placeholder="Forever"
        />
      </Field>
      <Field
        id="retention-rows"
        label="Keep at most (events)"
        hint="The newest events are kept. Empty: no limit."
      >
        <Input
          id="retention-rows"
          type="number"
          min={1}
          step={1}
          value={rows}
          disabled={!canEdit}
          onChange={(e) => setRows(e.target.value)}
          placeholder="No limit"
        />
      </Field>
      <DialogFooter>
        <Button variant="outline" onClick={onDone}>
          {canEdit ? 'Cancel' : 'Close'}
        </Button>
        {canEdit && (
          <Button type="submit" loading={save.isPending}>
            Save retention
          </Button>
        )}
      </DialogFooter>
    </form>
  );
}
