import type { ChildProcess } from 'node:child_process';

/** What the global setup leaves for the teardown (same process). */
export interface TestServer {
  child: ChildProcess;
  dataDir: string;
  adminDatabaseUrl?: string;
  databaseName?: string;
  output: string[];
}

declare global {
  var __BACKENDIFY_CLIENT_TEST_SERVER__: TestServer | undefined;
}

/** URL of the server started by the global setup (inherited by the jest workers). */
export function serverUrl(): string {
  const url = process.env.BACKENDIFY_TEST_URL;
  if (!url) throw new Error('BACKENDIFY_TEST_URL is not set: run through jest (global setup)');
  return url;
}
