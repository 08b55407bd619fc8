import { useQuery } from '@tanstack/react-query';
import { Activity } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { cn } from '@/lib/utils';
import { formatBytes } from '@/features/files/types';
import {
  statsQueryOptions,
  usageQueryOptions,
  type ProjectStats,
  type UsagePoint,
  type UsageRange,
} from '../api/usage-query';

const RANGES: { value: UsageRange; label: string; span: string }[] = [
  { value: '1h', label: '1h', span: 'the last hour' },
  { value: '24h', label: '24h', span: 'the last 24 hours' },
];

/** One theme color per route group: CSS variables, so both themes read well. */
const GROUP_COLORS: Record<string, string> = {
  data: 'var(--primary)',
  auth: 'var(--success)',
  files: 'var(--warning)',
  realtime: 'var(--ring)',
  functions: 'var(--destructive)',
  views: 'var(--accent-foreground)',
  sql: 'var(--muted-foreground)',
  admin: 'var(--foreground)',
};
const AXIS = { stroke: 'var(--muted-foreground)', fontSize: 11 };
const TOOLTIP = {
  contentStyle: {
    background: 'var(--popover)',
    border: '1px solid var(--border)',
    borderRadius: 8,
    color: 'var(--foreground)',
    fontSize: 12,
  },
};

const time = (t: string) =>
  new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)}%`;
const ms = (v: number | null) => (v === null ? '—' : `${v.toLocaleString()} ms`);

/** Overview's "Usage" section: requests, errors and latency by route group, storage and jobs. */
export function ProjectUsage({ projectId }: { projectId: string }) {
  const [range, setRange] = useState<UsageRange>('1h');
  const usage = useQuery(usageQueryOptions(projectId, range));
  const stats = useQuery(statsQueryOptions(projectId, range));
  const span = RANGES.find((r) => r.value === range)?.span ?? '';
  const report = usage.data;
  const hasTraffic = !!report && report.totals.requests > 0;

  return (
    <section aria-labelledby="usage-heading" className="mt-6 space-y-4" data-testid="usage">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="space-y-1">
          <h2 id="usage-heading" className="text-lg font-semibold">
            Usage
          </h2>
          <p className="text-sm text-muted-foreground">
            Requests to this project over {span}, refreshed every 15 seconds.
          </p>
        </div>
        <div
          role="radiogroup"
          aria-label="Usage range"
          className="flex gap-1 rounded-lg border border-border p-1"
        >
          {RANGES.map((r) => (
            <button
              key={r.value}
              type="button"
              role="radio"
              aria-checked={range === r.value}
              onClick={() => setRange(r.value)}
              className={cn(
                'cursor-pointer rounded-md px-3 py-1 text-sm transition-colors',
                range === r.value
                  ? 'bg-accent font-medium text-accent-foreground'
                  : 'text-muted-foreground hover:bg-muted hover:text-foreground',
              )}
            >
              {r.label}
            </button>
          ))}
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Stat id="requests" label="Requests">
          {report ? report.totals.requests.toLocaleString() : '…'}
        </Stat>
        <Stat id="error-rate" label="Error rate">
          {report ? percent(report.totals.error_rate) : '…'}
        </Stat>
        <Stat id="p95" label="p95 latency">
          {report ? ms(report.totals.p95_ms) : '…'}
        </Stat>
        <Stat id="storage" label="Storage used">
          {stats.data
            ? formatBytes(stats.data.storage.database_bytes + stats.data.storage.files_bytes)
            : '…'}
          {stats.data && (
            <span className="block text-xs font-normal text-muted-foreground">
              {formatBytes(stats.data.storage.database_bytes)} database,{' '}
              {formatBytes(stats.data.storage.files_bytes)} in{' '}
              {stats.data.storage.files_count.toLocaleString()} files
            </span>
          )}
        </Stat>
        <Stat id="deliveries" label="Webhook deliveries failed">
          {stats.data ? <Deliveries d={stats.data.webhook_deliveries} /> : '…'}
        </Stat>
        <Stat id="runs" label="Workflow runs">
          {stats.data ? <Runs r={stats.data.workflow_runs} /> : '…'}
        </Stat>
      </dl>

      {report && !hasTraffic ? (
        <EmptyState
          icon={Activity}
          title={
            range === '1h'
              ? 'No requests in the last hour yet'
              : 'No requests in the last 24 hours yet'
          }
          description="Make a call with an API key (Connect shows how); it appears here within seconds."
        />
      ) : report ? (
        <div className="grid grid-cols-1 gap-4 xl:grid-cols-3">
          <RequestsChart series={report.series} />
          <PointChart
            title="Error rate"
            unit="%"
            points={report.overall}
            value={(p) => Math.round(p.error_rate * 1000) / 10}
            color="var(--destructive)"
          />
          <PointChart
            title="p95 latency"
            unit="ms"
            points={report.overall}
            value={(p) => p.p95_ms}
            color="var(--warning)"
          />
        </div>
      ) : null}

      {stats.data && <RecordsChart collections={stats.data.collections} />}
    </section>
  );
}

function Stat({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <Card className="min-w-0 px-4 py-3">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums" data-testid={`usage-${id}`}>
        {children}
      </dd>
    </Card>
  );
}

function Deliveries({ d }: { d: ProjectStats['webhook_deliveries'] }) {
  const total = d.delivered + d.failed + d.pending;
  return (
    <>
      <span className={cn(d.failed > 0 && 'text-destructive-text')}>{d.failed}</span>
      <span className="text-muted-foreground"> / {total}</span>
      {d.pending > 0 && (
        <span className="block text-xs font-normal text-muted-foreground">
          {d.pending} retrying
        </span>
      )}
    </>
  );
}

function Runs({ r }: { r: ProjectStats['workflow_runs'] }) {
  const entries = Object.entries(r).filter(([, n]) => n > 0);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return (
    <>
      {total}
      <span className="block text-xs font-normal text-muted-foreground">
        {entries.length ? entries.map(([s, n]) => `${n} ${s}`).join(', ') : 'none'}
      </span>
    </>
  );
}

/** A chart with a visible title; the SVG is hidden from assistive tech, a table says the same. */
/** A chart with a name and summary, and its figures as a visually hidden two-column table. */
function ChartCard({
  title,
  summary,
  columns,
  rows,
  children,
  className,
  height = 192,
}: {
  title: string;
  summary: string;
  columns: [string, string];
  /** [key, first cell, second cell] */
  rows: readonly (readonly [string, ReactNode, ReactNode])[];
  children: ReactNode;
  className?: string;
  /** The plot's height in px. */
  height?: number;
}) {
  return (
    <Card className={cn('min-w-0', className)}>
      <figure aria-label={`${title}: ${summary}`} className="m-0">
        <CardHeader title={title} description={summary} className="py-3" />
        <CardContent className="p-3" style={{ height }} aria-hidden="true">
          {children}
        </CardContent>
        <table className="sr-only">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th>{columns[0]}</th>
              <th>{columns[1]}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([key, a, b]) => (
              <tr key={key}>
                <td>{a}</td>
                <td>{b}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figure>
    </Card>
  );
}

function RequestsChart({ series }: { series: { group: string; points: UsagePoint[] }[] }) {
  const rows = (series[0]?.points ?? []).map((p, i) => ({
    t: time(p.t),
    ...Object.fromEntries(series.map((s) => [s.group, s.points[i]?.requests_per_min ?? 0])),
  }));
  const busiest = series
    .map((s) => ({ group: s.group, total: s.points.reduce((sum, p) => sum + p.requests, 0) }))
    .sort((a, b) => b.total - a.total);
  return (
    <ChartCard
      title="Requests per minute"
      summary={`By route group: ${busiest.map((b) => `${b.group} ${b.total}`).join(', ')}`}
      columns={['Route group', 'Requests']}
      rows={busiest.map((b) => [b.group, b.group, b.total] as const)}
    >
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={rows} accessibilityLayer={false}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="t" tick={AXIS} stroke="var(--border)" minTickGap={24} />
          <YAxis tick={AXIS} stroke="var(--border)" width={36} allowDecimals={false} />
          <Tooltip {...TOOLTIP} />
          {series.map((s) => (
            <Area
              key={s.group}
              type="monotone"
              dataKey={s.group}
              stackId="requests"
              stroke={GROUP_COLORS[s.group] ?? 'var(--primary)'}
              fill={GROUP_COLORS[s.group] ?? 'var(--primary)'}
              fillOpacity={0.25}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

function PointChart({
  title,
  unit,
  points,
  value,
  color,
}: {
  title: string;
  unit: string;
  points: UsagePoint[];
  value: (p: UsagePoint) => number | null;
  color: string;
}) {
  const rows = points.map((p) => ({ t: time(p.t), v: value(p) }));
  const known = rows.filter((r) => r.v !== null);
  const peak = known.reduce<(typeof rows)[number] | undefined>(
    (top, r) => (top && (top.v ?? 0) >= (r.v ?? 0) ? top : r),
    undefined,
  );
  return (
    <ChartCard
      title={`${title} (${unit})`}
      summary={peak ? `Peak ${peak.v} ${unit} at ${peak.t}` : 'No data'}
      columns={['Time', unit]}
      rows={known.map((r) => [r.t, r.t, r.v] as const)}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} accessibilityLayer={false}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="t" tick={AXIS} stroke="var(--border)" minTickGap={24} />
          <YAxis tick={AXIS} stroke="var(--border)" width={36} />
          <Tooltip {...TOOLTIP} formatter={(v) => [`${String(v)} ${unit}`, title]} />
          <Line
            type="monotone"
            dataKey="v"
            stroke={color}
            strokeWidth={2}
            // A lone measured step draws no line: show the points while there are few.
            dot={known.length <= 3 ? { r: 3, fill: color, strokeWidth: 0 } : false}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

function RecordsChart({ collections }: { collections: ProjectStats['collections'] }) {
  if (!collections.length) return null;
  const rows = [...collections].sort((a, b) => b.records - a.records).slice(0, 12);
  return (
    <ChartCard
      title="Records per collection"
      height={56 + rows.length * 28}
      summary={rows
        .map((c) => `${c.name} ${c.estimate ? '≈' : ''}${c.records.toLocaleString()}`)
        .join(', ')}
      columns={['Collection', 'Records']}
      rows={rows.map((c) => [c.name, c.name, `${c.estimate ? 'about ' : ''}${c.records}`] as const)}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" accessibilityLayer={false}>
          <CartesianGrid stroke="var(--border)" horizontal={false} />
          <XAxis type="number" tick={AXIS} stroke="var(--border)" allowDecimals={false} />
          <YAxis type="category" dataKey="name" tick={AXIS} stroke="var(--border)" width={96} />
          <Tooltip {...TOOLTIP} cursor={{ fill: 'var(--muted)' }} />
          <Bar
            dataKey="records"
            fill="var(--primary)"
            radius={[0, 4, 4, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
