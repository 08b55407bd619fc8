import { createFileRoute } from '@tanstack/react-router';
import { ProjectOverview } from '@/features/projects/components/project-overview';

export const Route = createFileRoute('/_app/projects/$projectId/')({
  component: OverviewPage,
});

function OverviewPage() {
  const { projectId } = Route.useParams();
  return <ProjectOverview projectId={projectId} />;
}
