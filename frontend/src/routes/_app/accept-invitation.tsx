import { Link, createFileRoute } from '@tanstack/react-router';
import { Alert } from '@/components/ui/alert';
import { EmailTokenPage } from '@/features/auth/components/email-token-page';
import { useAcceptInvitation } from '@/features/members/api/invitation-mutations';

export const Route = createFileRoute('/_app/accept-invitation')({
  validateSearch: (search: Record<string, unknown>): { token?: string } => ({
    token: typeof search.token === 'string' ? search.token : undefined,
  }),
  component: AcceptInvitationPage,
});

function AcceptInvitationPage() {
  const { token } = Route.useSearch();
  const accept = useAcceptInvitation();
  return (
    <EmailTokenPage
      title="Join a project"
      token={token}
      run={accept.mutate}
      pending={accept.isPending}
      error={accept.error}
      done={
        accept.data ? (
          <Alert tone="info" title="Invitation accepted">
            You joined the project as {accept.data.role}.{' '}
            <Link
              to="/projects/$projectId"
              params={{ projectId: accept.data.project_id }}
              className="font-medium text-primary hover:underline"
            >
              Open the project
            </Link>
          </Alert>
        ) : null
      }
    />
  );
}
