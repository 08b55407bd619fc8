import { Link } from '@tanstack/react-router';
import { ArrowRight, FolderPlus, Plus, Search } from 'lucide-react';
import { useSuspenseQuery } from '@tanstack/react-query';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { roleTone } from '@/lib/roles';
import { formatDate } from '@/lib/utils';
import { projectsQueryOptions } from '../api/projects-query';
import type { Project } from '../types';
import { CreateProjectDialog } from './create-project-dialog';

interface ProjectsListProps {
  query: string;
  onQueryChange: (q: string) => void;
  createOpen: boolean;
  onCreateOpenChange: (open: boolean) => void;
  onCreated: (project: Project) => void;
}

export function ProjectsList({
  query,
  onQueryChange,
  createOpen,
  onCreateOpenChange,
  onCreated,
}: ProjectsListProps) {
  const { data: projects } = useSuspenseQuery(projectsQueryOptions());
  const needle = query.trim().toLowerCase();
  const visible = needle
    ? projects.filter((p) => p.name.toLowerCase().includes(needle) || p.id.includes(needle))
    : projects;

  return (
    <>
      <PageHeader
        title="Projects"
        description="Each project is an isolated backend: its own tables, API, users and rules."
        actions={
          <Button onClick={() => onCreateOpenChange(true)}>
            <Plus aria-hidden="true" />
            New project
          </Button>
        }
      />
      {projects.length === 0 ? (
        <EmptyState
          icon={FolderPlus}
          title="Create your first project"
          description="Projects hold collections, app users, API keys and everything else your app needs."
          action={
            <Button onClick={() => onCreateOpenChange(true)}>
              <Plus aria-hidden="true" />
              New project
            </Button>
          }
        />
      ) : (
        <>
          <div className="relative mb-4 max-w-sm">
            <Search
              className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
              aria-hidden="true"
            />
            <label htmlFor="project-search" className="sr-only">
              Search projects
            </label>
            <Input
              id="project-search"
              type="search"
              placeholder="Search projects"
              className="pl-9"
              value={query}
              onChange={(e) => onQueryChange(e.target.value)}
            />
          </div>
          {visible.length === 0 ? (
            <EmptyState
              icon={Search}
              title="No matching projects"
              description={`Nothing matches “${query}”.`}
              action={
                <Button variant="outline" onClick={() => onQueryChange('')}>
                  Clear search
                </Button>
              }
            />
          ) : (
            <ul
              className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3"
              aria-label="Projects"
            >
              {visible.map((p) => (
                <li key={p.id}>
                  <ProjectCard project={p} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <CreateProjectDialog
        open={createOpen}
        onOpenChange={onCreateOpenChange}
        onCreated={onCreated}
      />
    </>
  );
}

function ProjectCard({ project }: { project: Project }) {
  return (
    <Link
      to="/projects/$projectId"
      params={{ projectId: project.id }}
      className="group block rounded-xl"
    >
      <Card className="flex h-full flex-col gap-4 p-5 transition-all group-hover:border-primary/40 group-hover:shadow-md">
        <div className="flex items-start justify-between gap-3">
          <div className="flex min-w-0 items-center gap-3">
            <div className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-accent text-sm font-semibold text-accent-foreground">
              {project.name.slice(0, 1).toUpperCase() || '?'}
            </div>
            <div className="min-w-0">
              <h2 className="truncate font-semibold">{project.name}</h2>
              <p className="truncate font-mono text-xs text-muted-foreground">{project.id}</p>
            </div>
          </div>
          <Badge tone={roleTone(project.role)}>{project.role}</Badge>
        </div>
        <div className="mt-auto flex items-center justify-between text-xs text-muted-foreground">
          <span>Created {formatDate(project.created_at)}</span>
          <span className="inline-flex items-center gap-1 font-medium text-primary opacity-0 transition-opacity group-hover:opacity-100 group-focus-visible:opacity-100">
            Open <ArrowRight className="size-3.5" aria-hidden="true" />
          </span>
        </div>
      </Card>
    </Link>
  );
}

export function ProjectsListSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading projects">
      <div className="mb-6 space-y-2">
        <Skeleton className="h-8 w-40" />
        <Skeleton className="h-4 w-80" />
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} className="h-32 rounded-xl" />
        ))}
      </div>
    </div>
  );
}
