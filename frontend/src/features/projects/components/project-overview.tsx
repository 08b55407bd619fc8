import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ArrowRight, Check } from 'lucide-react';
import { lazy, Suspense } from 'react';
import { ConnectButton } from '@/components/connect/connect-panel';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { roleTone } from '@/lib/roles';
import { cn, formatDateTime } from '@/lib/utils';
import { overviewCountsQueryOptions, type OverviewCounts } from '../api/overview-counts';
import { useProject } from '../api/projects-query';

interface Step {
  id: string;
  title: string;
  description: string;
  count: number | null | undefined;
  noun: [string, string];
  done: boolean;
  to: string;
  action: string;
}

// Recharts is big: loaded with the Usage section, not with every project page.
const ProjectUsage = lazy(() =>
  import('./project-usage').then((m) => ({ default: m.ProjectUsage })),
);

function steps(c: OverviewCounts | undefined): Step[] {
  return [
    {
      id: 'collections',
      title: 'Create a collection',
      description: 'A collection is a real PostgreSQL table with a REST endpoint.',
      count: c?.collections,
      noun: ['collection', 'collections'],
      done: !!c?.collections,
      to: '/projects/$projectId/schema',
      action: 'Open Schema',
    },
    {
      id: 'records',
      title: 'Add some records',
      description: 'Type them in, or import a CSV or JSON file.',
      count: c?.records,
      noun: ['record', 'records'],
      done: !!c?.records,
      to: '/projects/$projectId/data',
      action: 'Open Data',
    },
    {
      id: 'keys',
      title: 'Create an API key and make a call',
      description:
        'A service key for your server, a public key for apps. Connect shows code that runs as is.',
      count: c?.apiKeys,
      noun: ['active key', 'active keys'],
      done: !!c?.keyUsed,
      to: '/projects/$projectId/api-keys',
      action: 'Open API Keys',
    },
    {
      id: 'app-users',
      title: 'Let app users sign in',
      description: 'Your app’s end users, with their own sessions, under your policies.',
      count: c?.appUsers,
      noun: ['app user', 'app users'],
      done: !!c?.appUsers,
      to: '/projects/$projectId/users',
      action: 'Open App Users',
    },
  ];
}

export function ProjectOverview({ projectId }: { projectId: string }) {
  const { data: project } = useProject(projectId);
  const counts = useQuery(overviewCountsQueryOptions(projectId));
  const origin = window.location.origin;
  const list = steps(counts.data);
  const done = list.filter((s) => s.done).length;

  return (
    <>
      <PageHeader
        eyebrow="Project overview"
        title={project.name}
        description="Your project's REST API is live. Follow the steps to your first API call."
        actions={
          <>
            <Badge tone={roleTone(project.role)}>Your role: {project.role}</Badge>
            <ConnectButton projectId={projectId} variant="primary" size="md" />
          </>
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <Card className="min-w-0 lg:col-span-3">
          <CardHeader
            title="Getting started"
            description={
              counts.data ? `${done} of ${list.length} done` : 'Counting what the project has…'
            }
          />
          <CardContent className="p-0">
            <ol aria-label="Getting started" className="divide-y divide-border">
              {list.map((s, i) => (
                <li
                  key={s.id}
                  data-testid={`checklist-${s.id}`}
                  data-done={s.done}
                  className="flex flex-wrap items-start gap-3 px-5 py-4"
                >
                  <span
                    className={cn(
                      'flex size-7 shrink-0 items-center justify-center rounded-full text-xs font-semibold',
                      s.done ? 'bg-success text-white' : 'bg-muted text-foreground',
                    )}
                    aria-hidden="true"
                  >
                    {s.done ? <Check className="size-4" /> : i + 1}
                  </span>
                  <div className="min-w-0 flex-1 space-y-0.5">
                    <p className="text-sm font-medium">
                      {s.title}
                      <span className="sr-only">{s.done ? ' (done)' : ' (to do)'}</span>
                    </p>
                    <p className="text-xs text-muted-foreground">{s.description}</p>
                    <p
                      className="text-xs text-muted-foreground tabular-nums"
                      data-testid={`count-${s.id}`}
                    >
                      {s.count === undefined
                        ? '…'
                        : s.count === null
                          ? 'Not visible to your role'
                          : `${s.count.toLocaleString()} ${s.noun[s.count === 1 ? 0 : 1]}`}
                    </p>
                  </div>
                  <div className="flex items-center gap-2 self-center">
                    {s.id === 'keys' && <ConnectButton projectId={projectId} />}
                    <Link
                      to={s.to}
                      params={{ projectId }}
                      className="inline-flex items-center gap-1 text-sm font-medium text-primary hover:underline"
                    >
                      {s.action} <ArrowRight className="size-3.5" aria-hidden="true" />
                    </Link>
                  </div>
                </li>
              ))}
            </ol>
          </CardContent>
        </Card>
        <Card className="min-w-0 lg:col-span-2">
          <CardHeader title="Details" />
          <CardContent>
            <dl className="grid grid-cols-1 gap-4 text-sm">
              <div className="grid grid-cols-1 gap-1">
                <dt className="text-muted-foreground">Project ID</dt>
                <dd className="flex min-w-0 items-center gap-2">
                  <code
                    className="min-w-0 truncate rounded bg-muted px-1.5 py-0.5 font-mono text-xs"
                    data-testid="project-id"
                  >
                    {project.id}
                  </code>
                  <CopyButton
                    value={project.id}
                    size="icon"
                    variant="ghost"
                    label="Copy project ID"
                  />
                </dd>
              </div>
              <div className="grid grid-cols-1 gap-1">
                <dt className="text-muted-foreground">API base URL</dt>
                <dd className="truncate font-mono text-xs">
                  {origin}/api/projects/{project.id}
                </dd>
              </div>
              <div className="grid grid-cols-1 gap-1">
                <dt className="text-muted-foreground">Created</dt>
                <dd>{formatDateTime(project.created_at)}</dd>
              </div>
            </dl>
          </CardContent>
        </Card>
      </div>
      <Suspense fallback={null}>
        <ProjectUsage projectId={projectId} />
      </Suspense>
    </>
  );
}
