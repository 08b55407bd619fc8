import { Link, createFileRoute, redirect, useNavigate } from '@tanstack/react-router';
import { AuthCard } from '@/features/auth/components/auth-card';
import { CredentialsForm } from '@/features/auth/components/credentials-form';
import { useRegister } from '@/features/auth/api/register-mutation';

export const Route = createFileRoute('/(auth)/register')({
  beforeLoad: ({ context }) => {
    if (context.auth.isAuthenticated()) throw redirect({ to: '/projects' });
  },
  component: RegisterPage,
});

function RegisterPage() {
  const navigate = useNavigate();
  const register = useRegister();

  return (
    <AuthCard
      title="Create your account"
      description="Set up the console for your self-hosted backend."
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" className="font-medium text-primary hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <CredentialsForm
        mode="register"
        pending={register.isPending}
        error={register.error}
        onSubmit={(values) =>
          register.mutate(values, { onSuccess: () => void navigate({ to: '/projects' }) })
        }
      />
    </AuthCard>
  );
}
