import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, Plus, Search, Users } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatDate } from '@/lib/utils';
import { appUsersQueryOptions } from '../api/app-users-query';
import { USERS_PAGE_SIZE } from '../types';
import { AppUserDetailDialog } from './app-user-detail';
import { CreateAppUserDialog } from './create-app-user-dialog';

interface AppUsersPanelProps {
  projectId: string;
  search: string;
  page: number;
  selectedUserId: string | undefined;
  collections: string[];
  onSearchChange: (search: string) => void;
  onPageChange: (page: number) => void;
  onSelectUser: (id: string | undefined) => void;
}

export function AppUsersPanel({
  projectId,
  search,
  page,
  selectedUserId,
  collections,
  onSearchChange,
  onPageChange,
  onSelectUser,
}: AppUsersPanelProps) {
  const [term, setTerm] = useState(search);
  const [createOpen, setCreateOpen] = useState(false);
  const query = useQuery(appUsersQueryOptions(projectId, search, page));

  useEffect(() => setTerm(search), [search]);
  useEffect(() => {
    if (term.trim() === search) return;
    const t = window.setTimeout(() => onSearchChange(term.trim()), 300);
    return () => window.clearTimeout(t);
  }, [term, search, onSearchChange]);

  const data = query.data;
  const total = data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / USERS_PAGE_SIZE));
  const from = total === 0 ? 0 : (page - 1) * USERS_PAGE_SIZE + 1;
  const to = Math.min(total, page * USERS_PAGE_SIZE);

  const createButton = (
    <Button onClick={() => setCreateOpen(true)}>
      <Plus aria-hidden="true" />
      New app user
    </Button>
  );

  return (
    <>
      <PageHeader
        title="App Users"
        description="The end users of the apps built on this project. They sign in through the project's auth endpoints and are bound by its policies."
        actions={createButton}
      />
      <Card className="overflow-hidden">
        <div className="flex flex-wrap items-center gap-3 border-b border-border p-3">
          <div className="relative w-full max-w-sm">
            <Search
              className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
              aria-hidden="true"
            />
            <Input
              type="search"
              aria-label="Search app users by email"
              placeholder="Search by email"
              className="pl-9"
              value={term}
              onChange={(e) => setTerm(e.target.value)}
            />
          </div>
          <span className="ml-auto text-sm text-muted-foreground" data-testid="users-total">
            {total} user{total === 1 ? '' : 's'}
          </span>
        </div>
        {query.isError ? (
          <div className="p-4">
            <ProblemAlert error={query.error} />
          </div>
        ) : !data ? (
          <div className="space-y-2 p-4">
            <Skeleton className="h-8" />
            <Skeleton className="h-8" />
            <Skeleton className="h-8" />
          </div>
        ) : data.users.length === 0 ? (
          search ? (
            <p className="px-5 py-10 text-center text-sm text-muted-foreground">
              No app users match “{search}”.
            </p>
          ) : (
            <EmptyState
              icon={Users}
              className="m-4"
              title="No app users yet"
              description="Users appear here when they register through the auth API, or when you create them."
              action={createButton}
            />
          )
        ) : (
          <Table aria-label="App users">
            <THead>
              <tr>
                <TH>Email</TH>
                <TH>Status</TH>
                <TH className="hidden md:table-cell">Created</TH>
                <TH className="hidden lg:table-cell">ID</TH>
              </tr>
            </THead>
            <TBody>
              {data.users.map((u) => (
                <TR
                  key={u.id}
                  data-testid="app-user-row"
                  data-email={u.email}
                  className="cursor-pointer"
                  onClick={() => onSelectUser(u.id)}
                >
                  <TD className="font-medium">
                    <button
                      type="button"
                      className="cursor-pointer text-left hover:underline focus-visible:underline"
                      onClick={(e) => {
                        e.stopPropagation();
                        onSelectUser(u.id);
                      }}
                    >
                      {u.email}
                    </button>
                  </TD>
                  <TD>
                    <div className="flex flex-wrap gap-1">
                      {u.is_disabled ? (
                        <Badge tone="danger" dot>
                          disabled
                        </Badge>
                      ) : (
                        <Badge tone="success" dot>
                          active
                        </Badge>
                      )}
                      {u.is_email_verified ? (
                        <Badge tone="accent">verified</Badge>
                      ) : (
                        <Badge tone="warning">unverified</Badge>
                      )}
                    </div>
                  </TD>
                  <TD className="hidden text-muted-foreground md:table-cell">
                    {formatDate(u.created_at)}
                  </TD>
                  <TD className="hidden lg:table-cell">
                    <code className="font-mono text-xs text-muted-foreground">{u.id}</code>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        {total > 0 && (
          <nav
            aria-label="Pagination"
            className="flex items-center justify-between gap-3 border-t border-border px-4 py-2.5 text-sm"
          >
            <span className="text-muted-foreground">
              {from}–{to} of {total}
            </span>
            <div className="flex items-center gap-2">
              <Button
                variant="outline"
                size="sm"
                disabled={page <= 1}
                onClick={() => onPageChange(page - 1)}
              >
                <ChevronLeft aria-hidden="true" />
                Previous
              </Button>
              <span className="text-muted-foreground">
                Page {page} of {pages}
              </span>
              <Button
                variant="outline"
                size="sm"
                disabled={page >= pages}
                onClick={() => onPageChange(page + 1)}
              >
                Next
                <ChevronRight aria-hidden="true" />
              </Button>
            </div>
          </nav>
        )}
      </Card>
      <CreateAppUserDialog
        projectId={projectId}
        open={createOpen}
        onOpenChange={setCreateOpen}
        onCreated={(u) => onSelectUser(u.id)}
      />
      <AppUserDetailDialog
        projectId={projectId}
        userId={selectedUserId}
        collections={collections}
        onClose={() => onSelectUser(undefined)}
      />
    </>
  );
}

export function AppUsersSkeleton() {
  return (
    <PageSkeleton label="Loading app users" titleWidth="w-40">
      <Skeleton className="h-80 rounded-xl" />
    </PageSkeleton>
  );
}
