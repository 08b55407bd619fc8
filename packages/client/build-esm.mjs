// The ES module build next to tsc's CommonJS one: one bundle of src/ (dependencies stay imports)
// at dist/index.mjs, and dist/index.d.mts pointing at tsc's declarations.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.mjs',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  packages: 'external',
  // realtime.ts finds `ws` on Node 20 (no global WebSocket) relative to this file.
  banner: { js: 'const __backendifyClientUrl = import.meta.url;' },
  logLevel: 'warning',
});
writeFileSync('dist/index.d.mts', "export * from './index.js';\n");
