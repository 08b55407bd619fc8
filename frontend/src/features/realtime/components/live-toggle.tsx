import { Pause, Radio, WifiOff } from 'lucide-react';
import { cn } from '@/lib/utils';
import type { LiveCollection } from '../use-live-collection';

/**
 * The Data Explorer's live/paused switch with the stream's state: live (changes apply as they
 * commit), paused (changes are counted and applied on resume), connecting, or offline.
 */
export function LiveToggle({
  live,
  paused,
  onPausedChange,
}: {
  live: LiveCollection;
  paused: boolean;
  onPausedChange: (paused: boolean) => void;
}) {
  const offline = live.status === 'error';
  const label = paused
    ? live.pending > 0
      ? `Paused · ${live.pending} change${live.pending === 1 ? '' : 's'}`
      : 'Paused'
    : offline
      ? 'Offline'
      : live.status === 'connecting'
        ? 'Connecting…'
        : 'Live';
  const Icon = paused ? Pause : offline ? WifiOff : Radio;
  return (
    <button
      type="button"
      aria-pressed={!paused}
      data-testid="live-toggle"
      data-status={paused ? 'paused' : live.status}
      title={
        offline
          ? (live.error?.detail ?? 'The realtime connection failed')
          : paused
            ? 'Resume live updates'
            : 'Pause live updates'
      }
      onClick={() => onPausedChange(!paused)}
      className={cn(
        'inline-flex h-8 cursor-pointer items-center gap-1.5 rounded-md border px-2.5 text-xs font-medium whitespace-nowrap transition-colors',
        'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring',
        paused
          ? 'border-input bg-card text-muted-foreground hover:bg-muted'
          : offline
            ? 'border-destructive/40 bg-destructive/10 text-destructive'
            : 'border-emerald-500/40 bg-emerald-500/10 text-emerald-700 hover:bg-emerald-500/15 dark:text-emerald-300',
      )}
    >
      {!paused && live.status === 'live' ? (
        <span className="relative flex size-2" aria-hidden="true">
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-500 opacity-60 motion-reduce:animate-none" />
          <span className="relative inline-flex size-2 rounded-full bg-emerald-500" />
        </span>
      ) : (
        <Icon className="size-3.5" aria-hidden="true" />
      )}
      <span aria-live="polite">{label}</span>
    </button>
  );
}
