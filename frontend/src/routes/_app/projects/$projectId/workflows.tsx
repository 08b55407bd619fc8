import { useSuspenseQuery } from '@tanstack/react-query';
import { createFileRoute } from '@tanstack/react-router';
import { projectQueryOptions } from '@/features/projects/api/projects-query';
import { workflowsQueryOptions } from '@/features/workflows/api/workflows-query';
import { WorkflowsPage, WorkflowsSkeleton } from '@/features/workflows/components/workflows-page';
import { RUN_STATUSES, TRIGGER_TYPES, type WorkflowsSearch } from '@/features/workflows/types';
import { collectionsQueryOptions } from '@/lib/schema-meta';

const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export const Route = createFileRoute('/_app/projects/$projectId/workflows')({
  validateSearch: (search: Record<string, unknown>): WorkflowsSearch => {
    const offset = Number(search.offset);
    return {
      view: search.view === 'functions' || search.view === 'secrets' ? search.view : undefined,
      workflow: text(search.workflow),
      trigger: TRIGGER_TYPES.find((t) => t === search.trigger),
      tab: search.tab === 'runs' ? 'runs' : undefined,
      run: text(search.run),
      status: RUN_STATUSES.find((s) => s === search.status),
      offset: Number.isInteger(offset) && offset > 0 ? offset : undefined,
    };
  },
  loader: ({ context, params }) =>
    Promise.all([
      context.queryClient.ensureQueryData(workflowsQueryOptions(params.projectId)),
      context.queryClient.ensureQueryData(collectionsQueryOptions(params.projectId)),
    ]),
  pendingComponent: WorkflowsSkeleton,
  component: WorkflowsRoute,
});

function WorkflowsRoute() {
  const { projectId } = Route.useParams();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const { data: project } = useSuspenseQuery(projectQueryOptions(projectId));
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  return (
    <WorkflowsPage
      projectId={projectId}
      collections={collections}
      search={search}
      onSearchChange={(next, opts) =>
        void navigate({ search: (prev) => ({ ...prev, ...next }), replace: opts?.replace })
      }
      canEdit={project.role !== 'viewer'}
    />
  );
}
