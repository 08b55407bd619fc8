import { Link, useNavigate } from '@tanstack/react-router';
import { Check, ChevronsUpDown, FolderKanban, Plus } from 'lucide-react';
import { Menu, MenuLabel, MenuSeparator, menuItemClasses } from '@/components/ui/menu';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/utils';
import { useProjects } from '../api/projects-query';

/** Header dropdown listing the user's projects; shows breadcrumbs-style current project. */
export function ProjectSwitcher({ projectId }: { projectId?: string }) {
  const { data: projects, isPending } = useProjects();
  const navigate = useNavigate();
  const current = projects?.find((p) => p.id === projectId);

  if (!projectId) {
    return (
      <Link to="/projects" className="truncate rounded-md px-1 text-sm font-medium">
        Projects
      </Link>
    );
  }

  return (
    <Menu
      label="Switch project"
      align="start"
      trigger={(props) => (
        <button
          type="button"
          {...props}
          aria-label={`Current project: ${current?.name ?? 'loading'}. Switch project`}
          className="flex h-9 min-w-0 cursor-pointer items-center gap-2 rounded-md border border-transparent px-2 text-sm font-medium hover:border-border hover:bg-muted"
        >
          <span className="flex size-6 shrink-0 items-center justify-center rounded bg-accent text-xs font-semibold text-accent-foreground">
            {current?.name.slice(0, 1).toUpperCase() ?? '·'}
          </span>
          {isPending ? (
            <Skeleton className="h-4 w-24" />
          ) : (
            <span className="max-w-[40vw] truncate sm:max-w-64" data-testid="current-project">
              {current?.name ?? 'Unknown project'}
            </span>
          )}
          <ChevronsUpDown className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
        </button>
      )}
    >
      {(close) => (
        <>
          <MenuLabel>Projects</MenuLabel>
          <div className="max-h-72 overflow-y-auto">
            {projects?.map((p) => (
              <button
                key={p.id}
                type="button"
                role="menuitem"
                className={menuItemClasses}
                onClick={() => {
                  close();
                  void navigate({ to: '/projects/$projectId', params: { projectId: p.id } });
                }}
              >
                <span className="flex-1 truncate">{p.name}</span>
                <Check
                  className={cn('size-4', p.id === projectId ? 'opacity-100' : 'opacity-0')}
                  aria-hidden="true"
                />
              </button>
            ))}
          </div>
          <MenuSeparator />
          <button
            type="button"
            role="menuitem"
            className={menuItemClasses}
            onClick={() => {
              close();
              void navigate({ to: '/projects' });
            }}
          >
            <FolderKanban aria-hidden="true" />
            All projects
          </button>
          <button
            type="button"
            role="menuitem"
            className={menuItemClasses}
            onClick={() => {
              close();
              void navigate({ to: '/projects', search: { create: true } });
            }}
          >
            <Plus aria-hidden="true" />
            New project
          </button>
        </>
      )}
    </Menu>
  );
}
