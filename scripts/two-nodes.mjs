// Two API processes on one PostgreSQL and one Redis, behind a small round-robin proxy: the
// production-like shape of several replicas behind a load balancer, on one machine.
//
//   DATABASE_URL=… REDIS_URL=… node scripts/two-nodes.mjs      (or scripts/two-nodes.sh)
//
// PORT (default 3000) is the proxy; the nodes listen on PORT+1 and PORT+2 on 127.0.0.1.
// DATABASE_URL unset: this script starts one embedded PostgreSQL in DATA_DIR/pg for both nodes
// (as `pnpm start` does for one). REDIS_URL defaults to redis://127.0.0.1:6379 and must answer.
// JWT_SECRET is generated for the run when unset (both nodes must sign with the same one);
// DATA_DIR (default ./data/two-nodes) is shared, so local files are too. The build runs first
// when sources changed (scripts/start.mjs --build-only; `--no-build` skips it).
//
// The proxy alternates HTTP requests between the nodes, and WebSocket upgrades separately, so two
// realtime sockets opened one after the other land on different nodes (fan-out through Redis).
// Every answer carries `X-Backendify-Node: a|b`; `GET /__two-nodes` answers the proxy's counts.
// Bodies stream through (tus uploads). Ctrl-C or SIGTERM stops the proxy and both nodes.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProxyServer } from 'http-proxy-3';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => {
  process.stderr.write(`two-nodes: ${message}\n`);
  process.exit(1);
};

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65533)
  fail(`PORT=${process.env.PORT} is not a port`);
const host = process.env.HOST ?? '127.0.0.1';
const env = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? 'production',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(48).toString('base64'),
  DATA_DIR: resolve(process.env.DATA_DIR ?? join(root, 'data', 'two-nodes')),
  PUBLIC_URL: process.env.PUBLIC_URL ?? `http://${host}:${port}`,
  // Client IPs (rate limits, audit) come from the proxy's X-Forwarded-For.
  TRUST_PROXY: process.env.TRUST_PROXY ?? '127.0.0.1',
  // The console is served on the proxy's origin.
  CORS_ORIGINS: process.env.CORS_ORIGINS ?? `http://127.0.0.1:${port},http://localhost:${port}`,
  HOST: '127.0.0.1',
};
mkdirSync(env.DATA_DIR, { recursive: true });

/** Whether something accepts TCP connections at a redis:// URL's host and port. */
function reachable(url) {
  const { hostname, port: p } = new URL(url);
  return new Promise((done) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(p || 6379) });
    socket.setTimeout(3000);
    const settle = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.once('connect', () => settle(true));
    socket.once('timeout', () => settle(false));
    socket.once('error', () => settle(false));
  });
}
if (!(await reachable(env.REDIS_URL).catch(() => false))) {
  fail(`no Redis at REDIS_URL=${env.REDIS_URL} (the nodes share realtime and rate limits there)`);
}

if (!process.argv.includes('--no-build')) {
  const built = spawnSync(process.execPath, [join(root, 'scripts/start.mjs'), '--build-only'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (built.status !== 0) fail('the build failed');
}

/** The embedded PostgreSQL of both nodes when DATABASE_URL is unset. */
let embedded = null;
if (!env.DATABASE_URL) {
  const require = createRequire(import.meta.url);
  const { startEmbeddedPostgres } = require(
    join(root, 'backend/dist/database/embedded-postgres.js'),
  );
  try {
    embedded = await startEmbeddedPostgres(join(env.DATA_DIR, 'pg'), 0);
  } catch (error) {
    fail(error.message);
  }
  env.DATABASE_URL = embedded.url;
}

const nodes = ['a', 'b'].map((name, i) => ({
  name,
  port: port + 1 + i,
  requests: 0,
  websockets: 0,
  openWebsockets: 0,
  child: null,
}));
let stopping = false;

function startNode(node) {
  node.child = spawn(process.execPath, [join(root, 'backend/dist/main.js')], {
    cwd: join(root, 'backend'),
    env: { ...env, PORT: String(node.port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  node.child.on('exit', (code, signal) => {
    node.child = null;
    if (stopping) return finish();
    process.stderr.write(
      `two-nodes: node ${node.name} (port ${node.port}) exited (${signal ?? `code ${code}`}), stopping\n`,
    );
    stop(1);
  });
}

async function waitReady(node) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (!node.child) return false;
    try {
      const res = await fetch(`http://127.0.0.1:${node.port}/ready`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const proxy = createProxyServer({ xfwd: true, ws: true });
proxy.on('proxyRes', (proxyRes, req) => {
  proxyRes.headers['x-backendify-node'] = req.backendifyNode?.name ?? '';
});
proxy.on('error', (error, req, res) => {
  // A node that went away mid-request: a 502 for HTTP, a closed socket for a WebSocket.
  if (res && 'writeHead' in res && !res.headersSent) {
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statusCode: 502, code: 'BAD_GATEWAY', message: error.message }));
  } else if (res && 'destroy' in res) {
    res.destroy();
  }
});

let nextHttp = 0;
let nextWs = 0;
const server = createServer((req, res) => {
  if (req.url === '/__two-nodes') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        nodes: nodes.map(({ name, port: p, requests, websockets, openWebsockets }) => ({
          name,
          port: p,
          requests,
          websockets,
          open_websockets: openWebsockets,
        })),
      }),
    );
    return;
  }
  const node = nodes[nextHttp++ % nodes.length];
  node.requests++;
  req.backendifyNode = node;
  proxy.web(req, res, { target: `http://127.0.0.1:${node.port}` });
});
server.on('upgrade', (req, socket, head) => {
  const node = nodes[nextWs++ % nodes.length];
  node.websockets++;
  node.openWebsockets++;
  socket.once('close', () => node.openWebsockets--);
  req.backendifyNode = node;
  proxy.ws(req, socket, head, { target: `ws://127.0.0.1:${node.port}` });
});

let finishing = false;
function finish() {
  if (finishing || nodes.some((n) => n.child)) return;
  finishing = true;
  // The nodes have closed their pools: now the embedded PostgreSQL can stop.
  void (embedded?.stop() ?? Promise.resolve())
    .catch((error) => process.stderr.write(`two-nodes: ${error.message}\n`))
    .finally(() => process.exit(process.exitCode ?? 0));
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  server.close();
  server.closeAllConnections?.();
  for (const n of nodes) n.child?.kill('SIGTERM');
  // A node that does not stop within 20 s is killed.
  setTimeout(() => {
    for (const n of nodes) n.child?.kill('SIGKILL');
  }, 20_000).unref();
  finish();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// The first node runs the migrations; the second starts once it is ready.
for (const node of nodes) {
  startNode(node);
  if (!(await waitReady(node))) {
    if (!stopping) {
      process.stderr.write(`two-nodes: node ${node.name} (port ${node.port}) never became ready\n`);
      stop(1);
    }
    break;
  }
}
if (!stopping) {
  server.on('error', (error) => {
    process.stderr.write(
      `two-nodes: the proxy cannot listen on ${host}:${port}: ${error.message}\n`,
    );
    stop(1);
  });
  server.listen(port, host, () => {
    process.stdout.write(
      `two-nodes: http://${host}:${port} → nodes a :${nodes[0].port}, b :${nodes[1].port}\n`,
    );
  });
}
