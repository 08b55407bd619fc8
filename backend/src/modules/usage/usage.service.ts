import { Injectable } from '@nestjs/common';
import { CatalogService } from '../catalog/catalog.service';
import {
  emptyBuckets,
  mergeCell,
  quantileFromBuckets,
  ROUTE_GROUPS,
  type RouteGroup,
  type UsageCell,
} from './usage-aggregator';
import { UsageRepository } from './usage.repository';
import type { ProjectStatsDto, UsagePointDto, UsageRange, UsageReportDto } from './dto/usage.dto';

const MINUTE = 60_000;
/** Each range's length and step: one point a minute over the hour, one per 10 minutes over the day. */
const RANGES: Record<UsageRange, { points: number; stepMinutes: number }> = {
  '1h': { points: 60, stepMinutes: 1 },
  '24h': { points: 144, stepMinutes: 10 },
};

type Totals = Omit<UsageCell, 'projectId' | 'minute' | 'group'>;
const emptyTotals = (): Totals => ({
  count: 0,
  errors4xx: 0,
  errors5xx: 0,
  buckets: emptyBuckets(),
});

function point(t: number, x: Totals, minutes: number): UsagePointDto {
  return {
    t: new Date(t).toISOString(),
    requests: x.count,
    requests_per_min: Math.round((x.count / minutes) * 100) / 100,
    errors_4xx: x.errors4xx,
    errors_5xx: x.errors5xx,
    error_rate: x.count ? Math.round(((x.errors4xx + x.errors5xx) / x.count) * 10_000) / 10_000 : 0,
    p95_ms: quantileFromBuckets(x.buckets, 0.95),
  };
}

/** The Overview's usage charts and project figures (issue 15.5), from rows the server keeps. */
@Injectable()
export class UsageService {
  constructor(
    private readonly repo: UsageRepository,
    private readonly catalog: CatalogService,
  ) {}

  /** Start of the range: `points` steps ending with the step now is in. */
  private window(range: UsageRange, now: number): { from: number; step: number; points: number } {
    const { points, stepMinutes } = RANGES[range];
    const step = stepMinutes * MINUTE;
    return { from: now - (now % step) - (points - 1) * step, step, points };
  }

  async usage(projectId: string, range: UsageRange, now = Date.now()): Promise<UsageReportDto> {
    const { from, step, points } = this.window(range, now);
    const cells = await this.repo.minutes(projectId, new Date(from));
    const byGroup = new Map<RouteGroup, Totals[]>();
    const overall = Array.from({ length: points }, emptyTotals);
    for (const c of cells) {
      const i = Math.floor((c.minute - from) / step);
      if (i < 0 || i >= points) continue;
      let series = byGroup.get(c.group);
      if (!series) byGroup.set(c.group, (series = Array.from({ length: points }, emptyTotals)));
      mergeCell(series[i], c);
      mergeCell(overall[i], c);
    }
    const stepMinutes = step / MINUTE;
    const total = (xs: Totals[]) => xs.reduce((acc, x) => (mergeCell(acc, x), acc), emptyTotals());
    const rangeMinutes = points * stepMinutes;
    const groups = ROUTE_GROUPS.filter((g) => byGroup.has(g));
    return {
      range,
      step_seconds: step / 1000,
      from: new Date(from).toISOString(),
      to: new Date(from + points * step).toISOString(),
      totals: point(from, total(overall), rangeMinutes),
      groups: groups.map((g) => ({
        group: g,
        ...point(from, total(byGroup.get(g)!), rangeMinutes),
      })),
      overall: overall.map((x, i) => point(from + i * step, x, stepMinutes)),
      series: groups.map((g) => ({
        group: g,
        points: byGroup.get(g)!.map((x, i) => point(from + i * step, x, stepMinutes)),
      })),
    };
  }

  async stats(projectId: string, range: UsageRange, now = Date.now()): Promise<ProjectStatsDto> {
    const catalog = await this.catalog.project(projectId);
    const from = new Date(now - RANGES[range].points * RANGES[range].stepMinutes * MINUTE);
    const tables = [...catalog.byName.values()]
      .filter((c) => !c.meta.isSystem)
      .map((c) => ({ name: c.meta.name, schema: c.meta.schema, table: c.meta.table }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const [collections, databaseBytes, buckets, deliveries, runs] = await Promise.all([
      this.repo.tableCounts(tables),
      this.repo.schemaBytes(catalog.schema),
      this.repo.fileBytes(projectId),
      this.repo.deliveriesByStatus(projectId, from),
      this.repo.runsByStatus(projectId, from),
    ]);
    return {
      range,
      from: from.toISOString(),
      collections,
      storage: {
        database_bytes: databaseBytes,
        files_bytes: buckets.reduce((s, b) => s + b.bytes, 0),
        files_count: buckets.reduce((s, b) => s + b.files, 0),
        buckets,
      },
      webhook_deliveries: {
        delivered: deliveries.delivered ?? 0,
        failed: deliveries.failed ?? 0,
        pending: deliveries.pending ?? 0,
      },
      workflow_runs: {
        queued: runs.queued ?? 0,
        running: runs.running ?? 0,
        waiting: runs.waiting ?? 0,
        completed: runs.completed ?? 0,
        failed: runs.failed ?? 0,
        cancelled: runs.cancelled ?? 0,
      },
    };
  }
}
