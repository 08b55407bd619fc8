import { createFileRoute } from '@tanstack/react-router';
import { projectsQueryOptions } from '@/features/projects/api/projects-query';
import { ProjectsList, ProjectsListSkeleton } from '@/features/projects/components/projects-list';

interface ProjectsSearch {
  q?: string;
  create?: boolean;
}

export const Route = createFileRoute('/_app/projects/')({
  validateSearch: (search: Record<string, unknown>): ProjectsSearch => ({
    q: typeof search.q === 'string' && search.q ? search.q : undefined,
    create: search.create === true || search.create === 'true' ? true : undefined,
  }),
  loader: ({ context }) => context.queryClient.ensureQueryData(projectsQueryOptions()),
  pendingComponent: ProjectsListSkeleton,
  component: ProjectsPage,
});

function ProjectsPage() {
  const { q, create } = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <ProjectsList
      query={q ?? ''}
      onQueryChange={(value) =>
        void navigate({ search: (s) => ({ ...s, q: value || undefined }), replace: true })
      }
      createOpen={create === true}
      onCreateOpenChange={(open) =>
        void navigate({ search: (s) => ({ ...s, create: open || undefined }) })
      }
      onCreated={(project) =>
        void navigate({ to: '/projects/$projectId', params: { projectId: project.id } })
      }
    />
  );
}
