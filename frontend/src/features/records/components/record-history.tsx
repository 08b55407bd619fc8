import { useState } from 'react';
import { History, RotateCcw } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ActionChip, ActorChip } from '@/components/ui/change-chips';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { RecordDiff } from '@/components/ui/record-diff';
import { Skeleton } from '@/components/ui/skeleton';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import { useMemberNames, useRecordHistory, useRevertRecord } from '../api/history';
import type { RecordRow, RecordVersion } from '../types';

interface RecordHistoryProps {
  projectId: string;
  collection: string;
  record: RecordRow;
  /** The record as the revert left it. */
  onReverted: (record: RecordRow) => void;
}

/** What a version changed: the diff against the version before it. */
function versionDiff(versions: RecordVersion[], index: number) {
  const v = versions[index];
  const previous = versions[index + 1];
  if (!v) return { before: null, after: null };
  if (v.action === 'delete') return { before: v.record, after: null };
  return { before: v.action === 'create' ? null : (previous?.record ?? null), after: v.record };
}

function summary(v: RecordVersion): string {
  if (v.action === 'create') return 'Created';
  if (v.action === 'delete') return 'Deleted';
  const n = v.changed?.length ?? 0;
  return n ? `Changed ${v.changed?.join(', ')}` : 'Updated';
}

/** The record's versions (who, when, which fields), a diff of each, and revert. */
export function RecordHistory({ projectId, collection, record, onReverted }: RecordHistoryProps) {
  const id = String(record.id);
  const history = useRecordHistory(projectId, collection, id);
  const names = useMemberNames(projectId).data;
  const revert = useRevertRecord(projectId, collection);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  if (history.isPending)
    return (
      <div className="grid gap-2" aria-busy="true" aria-label="Loading history">
        <Skeleton className="h-12" />
        <Skeleton className="h-12" />
        <Skeleton className="h-32" />
      </div>
    );
  if (history.isError) return <ProblemAlert error={history.error} />;

  const versions = history.data;
  if (versions.length === 0)
    return (
      <div className="flex flex-col items-center gap-2 py-10 text-center text-sm text-muted-foreground">
        <History className="size-5" aria-hidden="true" />
        No recorded changes for this record yet.
      </div>
    );

  const index = Math.max(
    0,
    versions.findIndex((v) => v.id === selectedId),
  );
  const selected = versions[index] as RecordVersion;
  const { before, after } = versionDiff(versions, index);
  const isCurrent = index === 0;
  const canRevert = !isCurrent && selected.action !== 'delete' && selected.record !== null;

  return (
    <div className="grid gap-4 md:grid-cols-[15rem_minmax(0,1fr)]" data-testid="record-history">
      <ol aria-label="Versions" className="grid max-h-96 content-start gap-1 overflow-y-auto pr-1">
        {versions.map((v, i) => (
          <li key={v.id}>
            <button
              type="button"
              aria-current={i === index ? 'true' : undefined}
              data-testid="history-version"
              data-version={v.id}
              onClick={() => {
                setSelectedId(v.id);
                setConfirming(false);
              }}
              className={cn(
                'grid w-full cursor-pointer gap-1 rounded-md border px-2.5 py-2 text-left transition-colors focus-visible:outline-2 focus-visible:outline-ring',
                i === index
                  ? 'border-primary/40 bg-accent'
                  : 'border-transparent hover:border-border hover:bg-muted/60',
              )}
            >
              <span className="flex items-center justify-between gap-2">
                <ActionChip action={v.action} />
                <span className="text-xs text-muted-foreground" title={formatDateTime(v.at)}>
                  {formatRelative(v.at)}
                </span>
              </span>
              <span className="truncate text-xs">{summary(v)}</span>
              <ActorChip actor={v.actor} names={names} className="justify-self-start" />
              {i === 0 && <span className="text-[11px] text-muted-foreground">Current</span>}
            </button>
          </li>
        ))}
      </ol>

      <section className="grid min-w-0 content-start gap-3" aria-label="Selected version">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0">
            <h3 className="text-sm font-semibold">
              Version {selected.id}{' '}
              <span className="font-normal text-muted-foreground">
                · {formatDateTime(selected.at)}
              </span>
            </h3>
            <p className="text-xs text-muted-foreground">
              {selected.action === 'create'
                ? 'The values the record was created with.'
                : selected.action === 'delete'
                  ? 'The record as it was deleted.'
                  : 'Compared with the version before it.'}
            </p>
          </div>
          {canRevert && !confirming && (
            <Button variant="outline" size="sm" onClick={() => setConfirming(true)}>
              <RotateCcw aria-hidden="true" />
              Revert to this version
            </Button>
          )}
        </div>

        {confirming && (
          <div role="group" aria-label="Confirm revert" className="grid gap-2">
            <Alert tone="warning" title={`Revert record ${id} to version ${selected.id}?`}>
              Its field values are written back as a new update, so policies and validations apply
              and the history keeps every version.
            </Alert>
            <div className="flex justify-end gap-2">
              <Button variant="outline" size="sm" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
              <Button
                size="sm"
                loading={revert.isPending}
                onClick={() =>
                  revert.mutate(
                    { id, version: selected },
                    {
                      onSuccess: (updated) => {
                        setConfirming(false);
                        setSelectedId(null);
                        onReverted(updated);
                      },
                    },
                  )
                }
              >
                Revert record
              </Button>
            </div>
          </div>
        )}

        {confirming ? (
          <>
            <p className="text-xs font-medium">What the revert changes, from the current record:</p>
            <RecordDiff
              before={versions[0]?.record ?? null}
              after={selected.record}
              changedOnly
              omit={['updated_at']}
              label="Changes the revert makes"
            />
          </>
        ) : (
          <RecordDiff before={before} after={after} label={`Changes in version ${selected.id}`} />
        )}
      </section>
    </div>
  );
}
