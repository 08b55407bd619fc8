import { createFileRoute, useNavigate } from '@tanstack/react-router';
import { PageHeader } from '@/components/layout/page-header';
import { BackupScheduleCard } from '@/features/backups/components/backup-schedule-card';
import { BackupsCard } from '@/features/backups/components/backups-card';
import { useMe } from '@/features/auth/api/me-query';
import { ResendVerificationButton } from '@/features/auth/components/resend-verification-button';
import { membersQueryOptions } from '@/features/members/api/members-query';
import { MembersCard } from '@/features/members/components/members-card';
import { useProject } from '@/features/projects/api/projects-query';
import { DeleteProjectCard } from '@/features/projects/components/delete-project-card';
import { ProjectGeneralCard } from '@/features/projects/components/project-general-card';

export const Route = createFileRoute('/_app/projects/$projectId/settings')({
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(membersQueryOptions(params.projectId));
  },
  component: SettingsPage,
});

function SettingsPage() {
  const { projectId } = Route.useParams();
  const { data: project } = useProject(projectId);
  const me = useMe();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader
        title="Settings"
        description="Manage the project's name, members, backups and lifecycle."
      />
      <div className="grid grid-cols-1 gap-6">
        <ProjectGeneralCard key={project.name} projectId={projectId} />
        <MembersCard
          projectId={projectId}
          canManage={project.role === 'owner'}
          currentUserId={me.data?.id}
          emailVerified={me.data?.is_email_verified ?? true}
          resendVerification={<ResendVerificationButton />}
        />
        {(project.role === 'owner' || project.role === 'admin') && (
          <>
            <BackupsCard projectId={projectId} />
            <BackupScheduleCard projectId={projectId} />
          </>
        )}
        <DeleteProjectCard
          projectId={projectId}
          onDeleted={() => void navigate({ to: '/projects', replace: true })}
        />
      </div>
    </>
  );
}
