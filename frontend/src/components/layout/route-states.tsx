import { Link, type ErrorComponentProps } from '@tanstack/react-router';
import { CircleAlert, Lock, SearchX } from 'lucide-react';
import { Button, buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { ApiError, errorMessage } from '@/lib/backend';

export function PageSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <div className="mb-6 space-y-2">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Skeleton className="h-40 rounded-xl" />
        <Skeleton className="h-40 rounded-xl lg:col-span-2" />
      </div>
      <Skeleton className="mt-6 h-56 rounded-xl" />
    </div>
  );
}

export function RouteError({ error, reset }: ErrorComponentProps) {
  if (error instanceof ApiError && error.status === 404) {
    return (
      <EmptyState
        icon={SearchX}
        title="Not found"
        description={`${error.detail.replace(/\.$/, '')}. It may have been deleted, or you may not be a member.`}
        action={
          <Link to="/projects" className={buttonClasses('outline')}>
            Back to projects
          </Link>
        }
      />
    );
  }
  if (error instanceof ApiError && error.status === 403) {
    return (
      <EmptyState
        icon={Lock}
        title="You don't have access to this page"
        description={`${error.detail.replace(/\.$/, '')}. Ask a project owner to change your role.`}
      />
    );
  }
  return (
    <EmptyState
      icon={CircleAlert}
      title="Something went wrong"
      description={errorMessage(error)}
      action={
        <Button variant="outline" onClick={reset}>
          Try again
        </Button>
      }
    />
  );
}

export function NotFoundPage() {
  return (
    <div className="flex min-h-full items-center justify-center p-6">
      <EmptyState
        icon={SearchX}
        title="Page not found"
        description="The page you are looking for does not exist."
        action={
          <Link to="/projects" className={buttonClasses('outline')}>
            Go to projects
          </Link>
        }
      />
    </div>
  );
}
