#!/usr/bin/env node
// Views benchmark (issue 13.8), run by `pnpm bench --views` or `node scripts/bench-views.mjs`:
// a view with a join and a group by over 100,000 rows (`items` → `categories`, count/sum/avg per
// category name), run through `POST …/views/{name}/execute`, against the very statement the view
// compiles to (`GET …/views/{name}/sql`) run directly through `pg`; closed loops, alternating.
// Starts the built server (backend/dist) on a fresh database; traffic to 127.0.0.1 only, bounded.
//   node scripts/bench-views.mjs [--rows 100000] [--duration 10] [--conns 8] [--runs 2] [--port 3960]
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  f1,
  freshDatabase,
  httpClient,
  opts,
  pct,
  ROOT,
  setupItems,
  sql,
  startBackend,
} from './bench-http.mjs';

const opt = opts(process.argv.slice(2));
const ROWS = Number(opt('--rows', '100000'));
const DURATION = Number(opt('--duration', '10')) * 1000;
const CONNS = Number(opt('--conns', '8'));
const RUNS = Number(opt('--runs', '2'));
const PORT = Number(opt('--port', '3960'));
const CATEGORIES = 20;
const log = (m) => console.error(`[bench-views] ${m}`);
const require = createRequire(join(ROOT, 'backend/package.json'));
const { Pool } = require('pg');

/** `conns` workers calling `once()` for DURATION; req/s and p50/p99 (ms). */
async function loop(once) {
  const lat = [];
  let errors = 0;
  const end = performance.now() + DURATION;
  await Promise.all(
    Array.from({ length: CONNS }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        if (await once()) lat.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  return { rps: lat.length / (DURATION / 1000), p50: pct(lat, 50), p99: pct(lat, 99), errors };
}

async function main() {
  if (!existsSync(join(ROOT, 'backend/dist/main.js')))
    throw new Error('backend/dist/main.js is missing: run `pnpm build` first');
  const db = await freshDatabase('bf_bench_views');
  const client = httpClient(PORT, CONNS * 2);
  let server;
  let pool;
  try {
    server = await startBackend({
      entry: join(ROOT, 'backend/dist/main.js'),
      port: PORT,
      url: db.url,
      env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
    });
    const { pid, auth, key } = await setupItems(client, 'bench-views@example.com');
    const { api } = client;
    const base = `/api/projects/${pid}/schema/collections`;
    const categories = await api(
      'POST',
      base,
      { name: 'categories', display_name: 'Categories' },
      auth,
    );
    await api(
      'POST',
      `${base}/categories/fields`,
      { name: 'name', display_name: 'name', field_type: 'string' },
      auth,
    );
    const items = (await api('GET', `${base}/items`, undefined, auth)).id;
    await api(
      'POST',
      `/api/projects/${pid}/schema/relations/collections/${items}/relations`,
      {
        name: 'category',
        display_name: 'Category',
        target_collection_id: categories.id,
        relation_type: 'many_to_one',
        on_delete: 'SET NULL',
      },
      auth,
    );
    const schema = `p_${pid.replace(/-/g, '_')}`;
    log(`seeding ${CATEGORIES} categories and ${ROWS} items`);
    await sql(
      db.url,
      `INSERT INTO ${schema}.categories (name) SELECT 'category ' || g FROM generate_series(1, ${CATEGORIES}) g;
       INSERT INTO ${schema}.items (title, price, category_id)
         SELECT 'item ' || g, (g * 7919) % 1000, (SELECT min(id) FROM ${schema}.categories) + g % ${CATEGORIES}
           FROM generate_series(1, ${ROWS}) g;
       ANALYZE ${schema}.categories; ANALYZE ${schema}.items;`,
    );
    await api(
      'POST',
      `/api/projects/${pid}/views`,
      {
        name: 'price_by_category',
        base_collection: 'items',
        joins: [{ relation: 'category', type: 'left', fields: ['name'] }],
        group_by: ['category.name'],
        aggregates: [
          { fn: 'count', as: 'n' },
          { fn: 'sum', field: 'price', as: 'total' },
          { fn: 'avg', field: 'price', as: 'mean' },
        ],
        sorts: [{ field: 'category.name' }],
      },
      auth,
    );
    const view = `/api/projects/${pid}/views/price_by_category`;
    const compiled = await api('GET', `${view}/sql`, undefined, auth);
    const answer = await api('POST', `${view}/execute`, {}, { 'x-api-key': key });
    if (answer.data.length !== CATEGORIES) throw new Error(`view gave ${answer.data.length} rows`);
    pool = new Pool({ connectionString: db.url, max: CONNS });
    const direct = await pool.query(compiled.sql, compiled.params);
    if (direct.rows.length !== CATEGORIES) throw new Error(`SQL gave ${direct.rows.length} rows`);
    log(`SQL: ${compiled.sql.replace(/\s+/g, ' ')}`);

    const results = [];
    for (let r = 1; r <= RUNS; r++) {
      const viaApi = await loop(async () => {
        const res = await client.call('POST', `${view}/execute`, {}, { 'x-api-key': key });
        return res.status === 200 && res.body.data.length === CATEGORIES;
      });
      const viaPg = await loop(async () => {
        const res = await pool.query(compiled.sql, compiled.params);
        return res.rows.length === CATEGORIES;
      });
      results.push({ viaApi, viaPg });
      log(`run ${r}: view ${f1(viaApi.rps)}/s, direct SQL ${f1(viaPg.rps)}/s`);
    }
    console.log(
      `\nview (left join + group by + 3 aggregates) over ${ROWS} rows, ${CONNS} connections, ${DURATION / 1000} s per cell`,
    );
    console.log(
      '\n| run | view execute req/s (p50/p99 ms) | same SQL via pg /s (p50/p99 ms) | view/SQL |',
    );
    console.log('| --- | --- | --- | --- |');
    results.forEach(({ viaApi: a, viaPg: p }, i) =>
      console.log(
        `| ${i + 1} | ${f1(a.rps)} (${f1(a.p50)}/${f1(a.p99)}) | ${f1(p.rps)} (${f1(p.p50)}/${f1(p.p99)}) | ${(a.rps / p.rps).toFixed(2)} |` +
          (a.errors + p.errors ? ` errors ${a.errors}/${p.errors}` : ''),
      ),
    );
  } finally {
    await pool?.end();
    await server?.stop();
    await client.close();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
