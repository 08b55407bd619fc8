import { Outlet, createFileRoute, redirect, useParams } from '@tanstack/react-router';
import { AppShell } from '@/components/layout/app-shell';
import { PageSkeleton, RouteError } from '@/components/layout/route-states';
import { SidebarNav } from '@/components/layout/sidebar-nav';
import { ThemeToggle } from '@/components/layout/theme-toggle';
import { UserMenu } from '@/features/auth/components/user-menu';
import { ProjectSwitcher } from '@/features/projects/components/project-switcher';

export const Route = createFileRoute('/_app')({
  beforeLoad: ({ context, location }) => {
    if (!context.auth.isAuthenticated()) {
      throw redirect({ to: '/login', search: { redirect: location.href } });
    }
  },
  pendingComponent: PageSkeleton,
  errorComponent: RouteError,
  component: AppLayout,
});

function AppLayout() {
  const { projectId } = useParams({ strict: false });
  return (
    <AppShell
      sidebar={<SidebarNav projectId={projectId} />}
      headerStart={<ProjectSwitcher projectId={projectId} />}
      headerEnd={
        <>
          <a
            href="/docs"
            target="_blank"
            rel="noreferrer"
            className="hidden rounded-md px-2.5 py-1.5 text-sm text-muted-foreground hover:bg-muted hover:text-foreground sm:inline-block"
          >
            API docs
          </a>
          <ThemeToggle />
          <UserMenu />
        </>
      }
    >
      <Outlet />
    </AppShell>
  );
}
