import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { DeliveryStatus } from '../types';

const tones: Record<DeliveryStatus, BadgeTone> = {
  pending: 'warning',
  delivered: 'success',
  failed: 'danger',
};

export function DeliveryStatusChip({ status }: { status: DeliveryStatus }) {
  return (
    <Badge tone={tones[status]} dot data-testid="delivery-status">
      {status}
    </Badge>
  );
}

/** The HTTP status a receiver answered, coloured by class. */
export function HttpStatus({ status }: { status: number | null }) {
  if (status === null) return <span className="text-muted-foreground">—</span>;
  const tone: BadgeTone = status < 300 ? 'success' : status < 500 ? 'warning' : 'danger';
  return (
    <Badge tone={tone} className="font-mono">
      {status}
    </Badge>
  );
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
