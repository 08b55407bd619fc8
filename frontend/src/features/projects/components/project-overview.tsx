import { Link } from '@tanstack/react-router';
import { ArrowUpRight } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { CopyButton } from '@/components/ui/copy-button';
import { PROJECT_MODULES } from '@/lib/modules';
import { roleTone } from '@/lib/roles';
import { formatDateTime } from '@/lib/utils';
import { useProject } from '../api/projects-query';

export function ProjectOverview({ projectId }: { projectId: string }) {
  const { data: project } = useProject(projectId);
  const origin = window.location.origin;
  const curl = [
    `curl "${origin}/api/projects/${project.id}/data/posts?limit=10&sort=-created_at" \\`,
    `  -H "X-API-Key: $BACKENDIFY_API_KEY"`,
  ].join('\n');
  const modules = PROJECT_MODULES.filter((m) => m.slug !== '');

  return (
    <>
      <PageHeader
        eyebrow="Project overview"
        title={project.name}
        description="Your project's REST API is live. Create an API key, define a collection, and start reading and writing data."
        actions={<Badge tone={roleTone(project.role)}>Your role: {project.role}</Badge>}
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
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
        <Card className="min-w-0 lg:col-span-3">
          <CardHeader
            title="Query your data"
            description="Every collection gets a REST endpoint. Authenticate server-side calls with an API key."
            actions={
              <Link
                to="/projects/$projectId/api-keys"
                params={{ projectId }}
                className="inline-flex items-center gap-1 text-sm font-medium text-primary hover:underline"
              >
                Get an API key <ArrowUpRight className="size-3.5" aria-hidden="true" />
              </Link>
            }
          />
          <CardContent>
            <CodeBlock code={curl} label="curl" />
          </CardContent>
        </Card>
      </div>

      <h2 className="mt-10 mb-4 text-sm font-semibold">Quick links</h2>
      <ul
        className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3"
        aria-label="Project modules"
      >
        {modules.map((m) => {
          const Icon = m.icon;
          if (!m.slug) return null;
          return (
            <li key={m.slug}>
              <Link
                to={`/projects/$projectId/${m.slug}`}
                params={{ projectId }}
                className="group flex h-full gap-3 rounded-xl border border-border bg-card p-4 transition-colors hover:border-primary/40 hover:bg-accent/40"
              >
                <div className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-muted text-muted-foreground group-hover:bg-accent group-hover:text-accent-foreground">
                  <Icon className="size-4.5" aria-hidden="true" />
                </div>
                <div className="min-w-0">
                  <p className="flex items-center gap-2 text-sm font-medium">
                    {m.label}
                    {!m.ready && <Badge>Soon</Badge>}
                  </p>
                  <p className="mt-0.5 text-xs text-muted-foreground">{m.summary}</p>
                </div>
              </Link>
            </li>
          );
        })}
      </ul>
    </>
  );
}
