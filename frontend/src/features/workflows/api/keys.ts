import type { RunStatus } from '../types';

export const workflowKeys = {
  all: ['workflows'] as const,
  project: (projectId: string) => [...workflowKeys.all, projectId] as const,
  list: (projectId: string) => [...workflowKeys.project(projectId), 'list'] as const,
  runs: (projectId: string, workflowId: string) =>
    [...workflowKeys.project(projectId), 'runs', workflowId] as const,
  runPage: (projectId: string, workflowId: string, status: RunStatus | undefined, offset: number) =>
    [...workflowKeys.runs(projectId, workflowId), 'page', { status, offset }] as const,
  lastRun: (projectId: string, workflowId: string) =>
    [...workflowKeys.runs(projectId, workflowId), 'last'] as const,
  run: (projectId: string, workflowId: string, runId: string) =>
    [...workflowKeys.runs(projectId, workflowId), 'detail', runId] as const,
  secrets: (projectId: string) => [...workflowKeys.project(projectId), 'secrets'] as const,
  cronPreview: (projectId: string, cron: string, timezone: string) =>
    [...workflowKeys.project(projectId), 'cron-preview', cron, timezone] as const,
};
