import type { BackupSchedule, BackupTarget } from '@backendify/client';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { Input, Select } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SwitchRow } from '@/components/ui/switch';
import { formatDateTime } from '@/lib/utils';
import { useSaveBackupSchedule } from '../api/backup-mutations';
import { useBackupSchedule } from '../api/backups-query';

/** The server stores a preset as its cron expression; the form shows it as the preset again. */
const PRESETS: Record<string, string> = {
  hourly: '0 * * * *',
  daily: '0 3 * * *',
  weekly: '0 3 * * 0',
};
const CUSTOM = 'custom';
const presetOf = (cron: string) =>
  Object.keys(PRESETS).find((p) => p === cron || PRESETS[p] === cron) ?? CUSTOM;

export function BackupScheduleCard({ projectId }: { projectId: string }) {
  const { data } = useBackupSchedule(projectId);
  return (
    <Card>
      <CardHeader
        title="Backup schedule"
        description="Stored backups on a schedule; the oldest beyond the kept number are deleted after each run."
      />
      <CardContent>
        {data && (
          <ScheduleForm
            key={`${data.enabled}-${data.cron}-${data.keep_last}-${data.target}`}
            projectId={projectId}
            schedule={data}
          />
        )}
      </CardContent>
    </Card>
  );
}

function ScheduleForm({ projectId, schedule }: { projectId: string; schedule: BackupSchedule }) {
  const save = useSaveBackupSchedule(projectId);
  const [enabled, setEnabled] = useState(schedule.enabled);
  const [preset, setPreset] = useState(presetOf(schedule.cron));
  const [cron, setCron] = useState(presetOf(schedule.cron) === CUSTOM ? schedule.cron : '');
  const [keepLast, setKeepLast] = useState(String(schedule.keep_last));
  const [target, setTarget] = useState<BackupTarget>(schedule.target);

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({
      enabled,
      cron: preset === CUSTOM ? cron.trim() : preset,
      keep_last: Number(keepLast),
      target,
    });
  }

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-4 sm:grid-cols-2">
      <div className="sm:col-span-2">
        <SwitchRow
          id="backup-schedule-enabled"
          label="Scheduled backups"
          hint={
            schedule.enabled && schedule.next_run_at
              ? `Next run ${formatDateTime(schedule.next_run_at)}`
              : 'Off: backups are stored only when you back up now.'
          }
          checked={enabled}
          onCheckedChange={setEnabled}
        />
      </div>
      <Field id="backup-schedule-preset" label="Frequency" hint="Daily runs at 03:00 UTC.">
        <Select
          id="backup-schedule-preset"
          value={preset}
          onChange={(e) => setPreset(e.target.value)}
        >
          <option value="hourly">Hourly</option>
          <option value="daily">Daily</option>
          <option value="weekly">Weekly</option>
          <option value={CUSTOM}>Custom (cron)</option>
        </Select>
      </Field>
      {preset === CUSTOM && (
        <Field id="backup-schedule-cron" label="Cron expression" hint="5 fields, UTC: 0 */6 * * *">
          <Input
            id="backup-schedule-cron"
            className="font-mono"
            value={cron}
            required
            onChange={(e) => setCron(e.target.value)}
          />
        </Field>
      )}
      <Field id="backup-schedule-keep" label="Keep last" hint="Stored backups kept (1–1000).">
        <Input
          id="backup-schedule-keep"
          type="number"
          min={1}
          max={1000}
          required
          value={keepLast}
          onChange={(e) => setKeepLast(e.target.value)}
        />
      </Field>
      <Field id="backup-schedule-target" label="Target" hint="S3 uses the server's S3 bucket.">
        <Select
          id="backup-schedule-target"
          value={target}
          onChange={(e) => setTarget(e.target.value as BackupTarget)}
        >
          <option value="local">Local disk (DATA_DIR/backups)</option>
          <option value="s3">S3</option>
        </Select>
      </Field>
      <ProblemAlert error={save.error} className="sm:col-span-2" />
      <div className="flex justify-end sm:col-span-2">
        <Button type="submit" loading={save.isPending}>
          Save schedule
        </Button>
      </div>
    </form>
  );
}
