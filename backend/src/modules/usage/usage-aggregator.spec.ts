import {
  BUCKET_COUNT,
  bucketOf,
  emptyBuckets,
  LATENCY_BOUNDS_MS,
  mergeCell,
  quantileFromBuckets,
  routeGroupOf,
  UsageAggregator,
} from './usage-aggregator';
import { buildFlushStatement } from './usage.repository';

const PID = '0b6f8a52-3c1e-4f7a-9d2b-5e8c1a7f4d30';
const T0 = Date.UTC(2026, 11, 7, 12, 30, 0);

describe('usage aggregator', () => {
  it.each([
    [0, 0],
    [0.4, 0],
    [1, 0],
    [1.01, 1],
    [4, 3],
    [5, 3],
    [49.9, 8],
    [10_000, LATENCY_BOUNDS_MS.length - 1],
    [60_000, LATENCY_BOUNDS_MS.length],
  ])('bucketOf(%p ms) = %p', (ms, bucket) => {
    expect(bucketOf(ms)).toBe(bucket);
  });

  it.each([
    ['/api/projects/:projectId/data/:collection', 'data'],
    ['/api/projects/:projectId/data/:collection/:id', 'data'],
    ['/api/projects/:projectId/auth/login', 'auth'],
    ['/api/projects/:projectId/files/buckets', 'files'],
    ['/api/projects/:projectId/functions/:slug', 'functions'],
    ['/api/projects/:projectId/views/:name/execute', 'views'],
    ['/api/projects/:projectId/sql', 'sql'],
    ['/api/projects/:projectId/schema/collections', 'admin'],
    ['/api/projects/:projectId', 'admin'],
    ['/api/projects', null],
    ['/api/auth/login', null],
    ['/health', null],
    ['unmatched', null],
  ])('routeGroupOf(%p) = %p', (route, group) => {
    expect(routeGroupOf(route)).toBe(group);
  });

  it('p95 is the upper bound of the bucket holding the 95th percentile', () => {
    const b = emptyBuckets();
    b[bucketOf(3)] = 94; // 94 requests at ≤ 3 ms
    b[bucketOf(250)] = 6; // 6 at ≤ 300 ms
    expect(quantileFromBuckets(b, 0.95)).toBe(300);
    expect(quantileFromBuckets(b, 0.5)).toBe(3);
    b[bucketOf(3)] = 95;
    b[bucketOf(250)] = 5;
    expect(quantileFromBuckets(b, 0.95)).toBe(3);
  });

  it('p95 of nothing is null; the overflow bucket answers the last bound', () => {
    expect(quantileFromBuckets(emptyBuckets(), 0.95)).toBeNull();
    const b = emptyBuckets();
    b[BUCKET_COUNT - 1] = 1;
    expect(quantileFromBuckets(b, 0.95)).toBe(LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]);
  });

  it('counts per (project, minute, group) with 4xx and 5xx apart, then drains empty', () => {
    const sut = new UsageAggregator();
    sut.record(PID, 'data', 200, 2, T0 + 1_000);
    sut.record(PID, 'data', 404, 7, T0 + 59_999);
    sut.record(PID, 'data', 503, 700, T0 + 30_000);
    sut.record(PID, 'data', 200, 2, T0 + 60_000); // next minute
    sut.record(PID, 'auth', 401, 2, T0 + 2_000);
    const cells = sut.drain();
    expect(sut.size).toBe(0);
    const data0 = cells.find((c) => c.group === 'data' && c.minute === T0)!;
    expect(data0).toMatchObject({ projectId: PID, count: 3, errors4xx: 1, errors5xx: 1 });
    expect(data0.buckets[bucketOf(2)]).toBe(1);
    expect(data0.buckets[bucketOf(7)]).toBe(1);
    expect(data0.buckets[bucketOf(700)]).toBe(1);
    expect(cells.find((c) => c.group === 'data' && c.minute === T0 + 60_000)?.count).toBe(1);
    expect(cells.find((c) => c.group === 'auth')).toMatchObject({ count: 1, errors4xx: 1 });
    expect(cells).toHaveLength(3);
  });

  it('merging two processes’ cells adds every bucket exactly', () => {
    const a = new UsageAggregator();
    const b = new UsageAggregator();
    for (let i = 0; i < 10; i++) a.record(PID, 'data', 200, i * 10, T0);
    for (let i = 0; i < 5; i++) b.record(PID, 'data', 500, i * 100, T0);
    const [x] = a.drain();
    const [y] = b.drain();
    const sum = x.buckets.map((n, i) => n + y.buckets[i]);
    mergeCell(x, y);
    expect(x).toMatchObject({ count: 15, errors4xx: 0, errors5xx: 5, buckets: sum });
  });

  it('restore puts a failed flush back, adding to what came meanwhile', () => {
    const sut = new UsageAggregator();
    sut.record(PID, 'sql', 200, 1, T0);
    const failed = sut.drain();
    sut.record(PID, 'sql', 400, 1, T0);
    sut.restore(failed);
    expect(sut.drain()).toEqual([expect.objectContaining({ count: 2, errors4xx: 1 })]);
  });

  it('one flush statement adds to existing rows and drops unknown projects', () => {
    const sut = new UsageAggregator();
    sut.record(PID, 'views', 200, 1, T0);
    const { text, values } = buildFlushStatement(sut.drain());
    expect(text).toMatchInlineSnapshot(`
      "INSERT INTO backendify.usage_minutes AS u
          (project_id, minute, route_group, count, errors_4xx, errors_5xx, latency_buckets)
        SELECT p.id, r.minute, r.route_group, r.count, r.errors_4xx, r.errors_5xx, r.latency_buckets
        FROM json_to_recordset($1::json) AS r(project_id text, minute timestamptz, route_group text,
          count bigint, errors_4xx bigint, errors_5xx bigint, latency_buckets bigint[])
        JOIN backendify.projects p ON p.id::text = r.project_id
        ON CONFLICT (project_id, minute, route_group) DO UPDATE SET
          count = u.count + EXCLUDED.count,
          errors_4xx = u.errors_4xx + EXCLUDED.errors_4xx,
          errors_5xx = u.errors_5xx + EXCLUDED.errors_5xx,
          latency_buckets = ARRAY(
            SELECT coalesce(a, 0) + coalesce(b, 0)
            FROM unnest(u.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS t(a, b, i)
            ORDER BY i)"
    `);
    const rows = JSON.parse(values[0] as string);
    expect(rows).toEqual([
      {
        project_id: PID,
        minute: '2026-12-07T12:30:00.000Z',
        route_group: 'views',
        count: 1,
        errors_4xx: 0,
        errors_5xx: 0,
        latency_buckets: [1, ...new Array(BUCKET_COUNT - 1).fill(0)],
      },
    ]);
  });
});
