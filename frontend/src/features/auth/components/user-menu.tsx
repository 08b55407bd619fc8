import { useNavigate } from '@tanstack/react-router';
import { LogOut, FolderKanban } from 'lucide-react';
import { Menu, MenuLabel, MenuSeparator, menuItemClasses } from '@/components/ui/menu';
import { Skeleton } from '@/components/ui/skeleton';
import { useLogout } from '../api/logout-mutation';
import { useMe } from '../api/me-query';

function initials(email: string): string {
  return email.slice(0, 2).toUpperCase();
}

export function UserMenu() {
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();

  return (
    <Menu
      label="Account"
      trigger={(props) => (
        <button
          type="button"
          {...props}
          aria-label="Account menu"
          className="ml-1 flex size-8 cursor-pointer items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground ring-offset-2 ring-offset-background hover:ring-2 hover:ring-primary/30"
        >
          {me.data ? initials(me.data.email) : <Skeleton className="size-8 rounded-full" />}
        </button>
      )}
    >
      {(close) => (
        <>
          <MenuLabel>
            <span className="block text-[11px] tracking-wide uppercase">Signed in as</span>
            <span
              className="block truncate text-sm font-medium text-foreground"
              data-testid="me-email"
            >
              {me.data?.email ?? '…'}
            </span>
          </MenuLabel>
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
              logout.mutate(undefined, {
                onSettled: () => void navigate({ to: '/login', search: {} }),
              });
            }}
          >
            <LogOut aria-hidden="true" />
            Log out
          </button>
        </>
      )}
    </Menu>
  );
}
