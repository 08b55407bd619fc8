import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { compression } from 'vite-plugin-compression2';
import { tanstackRouter } from '@tanstack/router-plugin/vite';
import { fileURLToPath } from 'node:url';

const API_TARGET = process.env.BACKENDIFY_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [
    tanstackRouter({ target: 'react', autoCodeSplitting: true }),
    react(),
    tailwindcss(),
    // .br and .gz beside each asset; the API serves them to browsers that accept them.
    compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024 }),
  ],
  define: {
    // The Connect panel's `npm install` line: the client is not on npm, so it names this clone's copy.
    __BACKENDIFY_CLIENT_DIR__: JSON.stringify(
      fileURLToPath(new URL('../packages/client', import.meta.url)),
    ),
  },
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      // The workspace client is bundled from its TypeScript source (its dist is CommonJS).
      '@backendify/client': fileURLToPath(
        new URL('../packages/client/src/index.ts', import.meta.url),
      ),
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: true, ws: true },
      '/health': API_TARGET,
      '/ready': API_TARGET,
      '/docs': API_TARGET,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});
