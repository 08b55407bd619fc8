#!/usr/bin/env node
// Self time of a V8 .cpuprofile (node --cpu-prof), by function and by package/module.
//   node scripts/cpu-profile-summary.mjs FILE.cpuprofile [--top 15]
import { readFileSync } from 'node:fs';

/** Where a frame comes from: `pkg` for node_modules, `src/<dir>/<file>` for ours, node internals. */
export function origin(url) {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/backend/dist/');
  if (dist >= 0)
    return `backendify:${url.slice(dist + '/backend/dist/'.length).replace(/\.js$/, '')}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

/** { totalMs, sampledMs, byFunction: [{name, ms, pct}], byOrigin: [{name, ms, pct}] } */
export function summarise(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const byFn = new Map();
  const byOrigin = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const { callFrame: f } = nodes.get(id);
    total += us;
    if (f.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const o = f.url ? origin(f.url) : f.functionName;
    const name = `${f.functionName || '(anonymous)'} ${o}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    byFn.set(name, (byFn.get(name) ?? 0) + us);
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + us);
  }
  const busy = total - idle;
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, ms: us / 1000, pct: busy ? (100 * us) / busy : 0 }));
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    byFunction: rank(byFn),
    byOrigin: rank(byOrigin),
  };
}

export function markdown(title, s, top = 15) {
  const row = (r) =>
    `| ${r.name.replace(/\|/g, '\\|')} | ${r.ms.toFixed(0)} | ${r.pct.toFixed(1)} |`;
  return [
    `### ${title}`,
    '',
    `busy ${s.busyMs.toFixed(0)} ms of ${s.totalMs.toFixed(0)} ms sampled (rest idle)`,
    '',
    '| self time by package / module | ms | % of busy |',
    '|---|---|---|',
    ...s.byOrigin.slice(0, top).map(row),
    '',
    '| self time by function | ms | % of busy |',
    '|---|---|---|',
    ...s.byFunction.slice(0, top).map(row),
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const i = process.argv.indexOf('--top');
  const top = i > 0 ? Number(process.argv[i + 1]) : 15;
  process.stdout.write(markdown(file, summarise(JSON.parse(readFileSync(file, 'utf8'))), top));
}
