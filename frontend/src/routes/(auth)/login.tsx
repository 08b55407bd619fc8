import { Link, createFileRoute, redirect, useRouter } from '@tanstack/react-router';
import { AuthCard } from '@/features/auth/components/auth-card';
import { CredentialsForm } from '@/features/auth/components/credentials-form';
import { useLogin } from '@/features/auth/api/login-mutation';
import { isReturningVisitor } from '@/lib/backend';

interface LoginSearch {
  redirect?: string;
}

/** Only same-origin paths, so a crafted link cannot bounce users elsewhere. */
function safeRedirect(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
    ? value
    : undefined;
}

export const Route = createFileRoute('/(auth)/login')({
  validateSearch: (search: Record<string, unknown>): LoginSearch => ({
    redirect: safeRedirect(search.redirect),
  }),
  beforeLoad: ({ context }) => {
    if (context.auth.isAuthenticated()) throw redirect({ to: '/projects' });
  },
  component: LoginPage,
});

function LoginPage() {
  const { redirect: to } = Route.useSearch();
  const router = useRouter();
  const login = useLogin();

  return (
    <AuthCard
      title="Sign in to Backendify"
      description={`${isReturningVisitor() ? 'Welcome back' : 'Welcome'}. Enter your console credentials.`}
      footer={
        <>
          New here?{' '}
          <Link to="/register" className="font-medium text-primary hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      <CredentialsForm
        mode="login"
        pending={login.isPending}
        error={login.error}
        onSubmit={(values) =>
          login.mutate(values, {
            onSuccess: () => {
              if (to) router.history.push(to);
              else void router.navigate({ to: '/projects' });
            },
          })
        }
      />
    </AuthCard>
  );
}
