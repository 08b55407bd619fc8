import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { RunDetail, Workflow, WorkflowInput } from '../types';
import { workflowKeys } from './keys';
import { workflowsPath } from './workflows-query';

const replaceIn = (list: Workflow[] | undefined, w: Workflow) =>
  list
    ? list.some((x) => x.id === w.id)
      ? list.map((x) => (x.id === w.id ? w : x))
      : [...list, w]
    : [w];

/** The builder shows save errors next to the fields, so no error toast. */
export function useCreateWorkflow(projectId: string) {
  return useApiMutation({
    mutationFn: (body: WorkflowInput) =>
      backend.request<Workflow>('POST', workflowsPath(projectId), { body }),
    // Seeded first: the page opens the new workflow before the list has refetched.
    onSuccess: (w, _v, qc) =>
      qc.setQueryData<Workflow[]>(workflowKeys.list(projectId), (old) => replaceIn(old, w)),
    invalidate: [workflowKeys.list(projectId)],
    success: (w) => `Workflow “${w.name}” created`,
    errorToast: false,
  });
}

export function useUpdateWorkflow(projectId: string, { inline = false } = {}) {
  return useApiMutation({
    mutationFn: ({ id, body }: { id: string; body: Partial<WorkflowInput> }) =>
      backend.request<Workflow>('PATCH', workflowsPath(projectId, id), { body }),
    onSuccess: (w, _v, qc) =>
      qc.setQueryData<Workflow[]>(workflowKeys.list(projectId), (old) => replaceIn(old, w)),
    invalidate: [workflowKeys.list(projectId)],
    success: (v, w) =>
      v.body.is_active !== undefined && Object.keys(v.body).length === 1
        ? `Workflow “${w.name}” ${w.is_active ? 'turned on' : 'turned off'}`
        : `Workflow “${w.name}” saved`,
    errorToast: inline,
  });
}

export function useDeleteWorkflow(projectId: string) {
  return useApiMutation({
    mutationFn: (w: Workflow) => backend.request<void>('DELETE', workflowsPath(projectId, w.id)),
    invalidate: [workflowKeys.list(projectId)],
    success: (w) => `Workflow “${w.name}” deleted`,
  });
}

export function useRunWorkflow(projectId: string) {
  return useApiMutation({
    mutationFn: ({ id, input }: { id: string; input: unknown }) =>
      backend.request<{ run_id: string; status: string }>(
        'POST',
        workflowsPath(projectId, id, 'run'),
        { body: { input } },
      ),
    onSuccess: (_r, v, qc) =>
      void qc.invalidateQueries({ queryKey: workflowKeys.runs(projectId, v.id) }),
    success: 'Run started',
  });
}

export function useCancelRun(projectId: string, workflowId: string) {
  return useApiMutation({
    mutationFn: (runId: string) =>
      backend.request<RunDetail>(
        'POST',
        workflowsPath(projectId, workflowId, 'runs', runId, 'cancel'),
      ),
    onSuccess: (run, _v, qc) =>
      qc.setQueryData(workflowKeys.run(projectId, workflowId, run.id), run),
    invalidate: [workflowKeys.runs(projectId, workflowId)],
    success: 'Run cancelled',
  });
}

export function useRetryRun(projectId: string, workflowId: string) {
  return useApiMutation({
    mutationFn: (runId: string) =>
      backend.request<RunDetail>(
        'POST',
        workflowsPath(projectId, workflowId, 'runs', runId, 'retry'),
      ),
    onSuccess: (run, _v, qc) =>
      qc.setQueryData(workflowKeys.run(projectId, workflowId, run.id), run),
    invalidate: [workflowKeys.runs(projectId, workflowId)],
    success: 'Run resumed at its failed step',
  });
}

export function usePutSecret(projectId: string) {
  return useApiMutation({
    mutationFn: ({ name, value }: { name: string; value: string }) =>
      backend.request<void>('PUT', workflowsPath(projectId, 'secrets', name), { body: { value } }),
    invalidate: [workflowKeys.secrets(projectId)],
    success: (v) => `Secret ${v.name} saved`,
    errorToast: false,
  });
}

export function useDeleteSecret(projectId: string) {
  return useApiMutation({
    mutationFn: (name: string) =>
      backend.request<void>('DELETE', workflowsPath(projectId, 'secrets', name)),
    invalidate: [workflowKeys.secrets(projectId)],
    success: (name) => `Secret ${name} deleted`,
  });
}
