import { Link, createFileRoute } from '@tanstack/react-router';
import { Alert } from '@/components/ui/alert';
import { useVerifyEmail } from '@/features/auth/api/email-verification';
import { EmailTokenPage } from '@/features/auth/components/email-token-page';

export const Route = createFileRoute('/_app/verify-email')({
  validateSearch: (search: Record<string, unknown>): { token?: string } => ({
    token: typeof search.token === 'string' ? search.token : undefined,
  }),
  component: VerifyEmailPage,
});

function VerifyEmailPage() {
  const { token } = Route.useSearch();
  const verify = useVerifyEmail();
  return (
    <EmailTokenPage
      title="Verify your e-mail address"
      token={token}
      run={verify.mutate}
      pending={verify.isPending}
      error={verify.error}
      done={
        verify.data ? (
          <Alert tone="info" title="E-mail address verified">
            {verify.data.email} is confirmed. You can now invite teammates.{' '}
            <Link to="/projects" className="font-medium text-primary hover:underline">
              Go to your projects
            </Link>
          </Alert>
        ) : null
      }
    />
  );
}
