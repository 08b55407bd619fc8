import { useEffect, useState, type ReactNode } from 'react';
import { Link, useRouterState } from '@tanstack/react-router';
import { Menu as MenuIcon, PanelLeftClose, PanelLeftOpen } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { cn } from '@/lib/utils';
import { useStoredState } from '@/lib/use-stored-state';
import { Logo } from './logo';

interface AppShellProps {
  sidebar: ReactNode;
  headerStart?: ReactNode;
  headerEnd?: ReactNode;
  children: ReactNode;
}

/**
 * Console frame: fixed sidebar on wide screens (collapsible, the choice kept per browser), a menu
 * button and drawer on narrow ones.
 */
export function AppShell({ sidebar, headerStart, headerEnd, children }: AppShellProps) {
  const [menuOpen, setMenuOpen] = useState(false);
  const [collapsed, setCollapsed] = useStoredState('backendify.sidebar.collapsed', false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  // Spreadsheet-like modules use the full width of the screen.
  const wide = /\/projects\/[^/]+\/(data|schema)$/.test(pathname);

  useEffect(() => {
    setMenuOpen(false);
  }, [pathname]);

  return (
    <div className="flex min-h-full">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-primary px-3 py-2 text-primary-foreground focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside
        id="app-sidebar"
        aria-label="Sidebar"
        className={cn(
          'fixed inset-y-0 left-0 z-30 hidden w-64 flex-col border-r border-border bg-sidebar',
          !collapsed && 'lg:flex',
        )}
      >
        <div className="flex h-14 shrink-0 items-center justify-between border-b border-border pr-2 pl-5">
          <Link to="/projects" className="rounded-md" aria-label="Backendify home">
            <Logo />
          </Link>
          <Button
            variant="ghost"
            size="icon"
            aria-label="Collapse sidebar"
            aria-expanded="true"
            aria-controls="app-sidebar"
            onClick={() => setCollapsed(true)}
          >
            <PanelLeftClose aria-hidden="true" />
          </Button>
        </div>
        <div className="flex-1 overflow-y-auto">{sidebar}</div>
      </aside>

      <Dialog
        open={menuOpen}
        onOpenChange={setMenuOpen}
        title="Navigation"
        variant="sheet"
        className="bg-sidebar"
      >
        <div className="-mx-5 -mb-5">{sidebar}</div>
      </Dialog>

      <div className={cn('flex min-w-0 flex-1 flex-col', !collapsed && 'lg:pl-64')}>
        <header className="sticky top-0 z-20 flex h-14 shrink-0 items-center gap-2 border-b border-border bg-background/85 px-3 backdrop-blur sm:px-6">
          <Button
            variant="ghost"
            size="icon"
            className="lg:hidden"
            aria-label="Open menu"
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen(true)}
          >
            <MenuIcon aria-hidden="true" />
          </Button>
          {collapsed && (
            <Button
              variant="ghost"
              size="icon"
              className="hidden lg:inline-flex"
              aria-label="Expand sidebar"
              aria-expanded="false"
              aria-controls="app-sidebar"
              onClick={() => setCollapsed(false)}
            >
              <PanelLeftOpen aria-hidden="true" />
            </Button>
          )}
          <Link to="/projects" className="mr-1 rounded-md lg:hidden" aria-label="Backendify home">
            <Logo withText={false} />
          </Link>
          <div className="flex min-w-0 flex-1 items-center gap-2">{headerStart}</div>
          <div className="flex items-center gap-1">{headerEnd}</div>
        </header>
        <main
          id="main"
          className={cn(
            'mx-auto w-full flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8',
            wide ? 'max-w-[112rem]' : 'max-w-6xl',
          )}
        >
          {children}
        </main>
      </div>
    </div>
  );
}
