import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ENV_SCHEMA } from './app-config';

/**
 * Static checks of the Docker files (README "Production-like run (Docker)"), which no test can
 * build here: every variable they set is one the config reads, every COPY source exists and is
 * not ignored, and the image runs as a non-root user with a health check on /ready.
 */
const root = join(__dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const known = new Set(Object.keys(ENV_SCHEMA.shape));

interface Service {
  environment?: Record<string, string>;
  volumes?: string[];
  deploy?: { replicas?: number };
  depends_on?: Record<string, unknown>;
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
  const app = compose.services.backendify;

  it('sets only variables the config reads', () => {
    const unknown = Object.keys(app.environment ?? {}).filter((name) => !known.has(name));
    expect(unknown).toEqual([]);
  });

  it('runs two replicas on PostgreSQL, Redis and MinIO as S3, behind the proxy', () => {
    expect(app.deploy?.replicas).toBe(2);
    expect(app.environment).toMatchObject({
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: 'http://minio:9000',
      S3_FORCE_PATH_STYLE: 'true',
      REDIS_URL: 'redis://redis:6379',
    });
    expect(Object.keys(app.depends_on ?? {}).sort()).toEqual(['minio-init', 'postgres', 'redis']);
    const bucket = app.environment?.S3_BUCKET ?? '';
    expect(JSON.stringify(compose.services['minio-init'])).toContain(`local/${bucket}`);
    expect(compose.services.proxy).toBeDefined();
  });

  it('mounts files that exist', () => {
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect(existsSync(join(root, source))).toBe(true);
      }
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const ignored = read('.dockerignore')
    .split('\n')
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'))
    .map((line) => line.replace(/^\*\*\//, ''));

  it('copies only sources that exist and are not in .dockerignore', () => {
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].map((m) =>
      m[1].split(/\s+/),
    );
    expect(copies.length).toBeGreaterThan(0);
    for (const parts of copies) {
      for (const source of parts.slice(0, -1).filter((p) => !p.startsWith('--'))) {
        if (source === '.') continue;
        expect(existsSync(join(root, source))).toBe(true);
        expect(ignored).not.toContain(source);
      }
    }
  });

  it('sets only variables the config reads, runs as a non-root user, checks /ready', () => {
    const envBlock = /^ENV ((?:.*\\\n)*.*)$/m.exec(dockerfile.split('FROM').pop() ?? '')?.[1] ?? '';
    const names = [...envBlock.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/ready/m);
    expect(dockerfile).toMatch(/--prod/);
  });
});
