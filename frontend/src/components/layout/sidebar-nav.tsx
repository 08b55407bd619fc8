import { Link } from '@tanstack/react-router';
import { FolderKanban } from 'lucide-react';
import { MODULE_GROUPS, PROJECT_MODULES } from '@/lib/modules';

const linkClasses =
  'group flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm text-muted-foreground transition-colors hover:bg-muted hover:text-foreground';
const activeClasses = 'bg-accent font-medium text-accent-foreground hover:bg-accent';

/** Project module navigation; without a project only the projects link is shown. */
export function SidebarNav({ projectId }: { projectId?: string }) {
  return (
    <nav aria-label="Main" className="flex flex-col gap-5 px-3 py-4">
      <div>
        <Link
          to="/projects"
          activeOptions={{ exact: true }}
          className={linkClasses}
          activeProps={{ className: activeClasses }}
        >
          <FolderKanban className="size-4 shrink-0" aria-hidden="true" />
          All projects
        </Link>
      </div>
      {projectId ? (
        MODULE_GROUPS.map((group) => (
          <div key={group}>
            <p className="mb-1 px-2.5 text-[11px] font-semibold tracking-wider text-muted-foreground uppercase">
              {group}
            </p>
            <ul className="flex flex-col gap-0.5">
              {PROJECT_MODULES.filter((m) => m.group === group).map((m) => {
                const Icon = m.icon;
                return (
                  <li key={m.slug}>
                    <Link
                      to={m.slug ? `/projects/$projectId/${m.slug}` : '/projects/$projectId'}
                      params={{ projectId }}
                      activeOptions={{ exact: true }}
                      className={linkClasses}
                      activeProps={{ className: activeClasses }}
                    >
                      <Icon className="size-4 shrink-0" aria-hidden="true" />
                      <span className="flex-1 truncate">{m.label}</span>
                      {!m.ready && (
                        <>
                          <span
                            aria-hidden="true"
                            className="rounded px-1 text-[10px] font-medium text-muted-foreground/70 uppercase"
                          >
                            soon
                          </span>
                          <span className="sr-only"> (coming soon)</span>
                        </>
                      )}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        ))
      ) : (
        <p className="px-2.5 text-xs leading-relaxed text-muted-foreground">
          Open a project to see its schema, data, access rules and integrations.
        </p>
      )}
    </nav>
  );
}
