import { Link } from '@tanstack/react-router';
import { ArrowRight, Users } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/utils';
import { useAuthSettings } from '../api/auth-settings-query';
import { AUTH_TABS, type AuthTab } from '../types';
import { AuthSettingsForm } from './auth-settings-form';
import { DeveloperSnippets } from './developer-snippets';

const TAB_LABELS: Record<AuthTab, string> = {
  settings: 'Settings',
  users: 'Users',
  developer: 'Developer',
};

interface AuthPageProps {
  projectId: string;
  tab: AuthTab;
  onTabChange: (tab: AuthTab) => void;
  collections: string[];
}

export function AuthPage({ projectId, tab, onTabChange, collections }: AuthPageProps) {
  const { data: settings } = useAuthSettings(projectId);
  return (
    <>
      <PageHeader
        title="Authentication"
        description="How the end users of your app sign up and sign in, and how their sessions last."
      />
      <div
        role="tablist"
        aria-label="Authentication sections"
        className="mb-6 flex gap-1 border-b border-border"
      >
        {AUTH_TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`auth-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`auth-panel-${t}`}
            onClick={() => onTabChange(t)}
            className={cn(
              '-mb-px cursor-pointer border-b-2 px-4 py-2 text-sm font-medium transition-colors',
              tab === t
                ? 'border-primary text-foreground'
                : 'border-transparent text-muted-foreground hover:text-foreground',
            )}
          >
            {TAB_LABELS[t]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`auth-panel-${tab}`} aria-labelledby={`auth-tab-${tab}`}>
        {tab === 'settings' && <AuthSettingsForm projectId={projectId} settings={settings} />}
        {tab === 'users' && (
          <Card>
            <CardContent className="flex flex-wrap items-center justify-between gap-4 py-6">
              <div className="flex items-center gap-3">
                <div className="flex size-10 items-center justify-center rounded-full bg-accent text-accent-foreground">
                  <Users className="size-5" aria-hidden="true" />
                </div>
                <div>
                  <h2 className="text-base font-semibold">App users</h2>
                  <p className="text-sm text-muted-foreground">
                    Search, create, verify, disable and delete the users of your app, see their
                    sessions and assign roles.
                  </p>
                </div>
              </div>
              <Link
                to="/projects/$projectId/users"
                params={{ projectId }}
                className={buttonClasses('primary')}
              >
                Open App Users
                <ArrowRight aria-hidden="true" />
              </Link>
            </CardContent>
          </Card>
        )}
        {tab === 'developer' && (
          <DeveloperSnippets projectId={projectId} collections={collections} />
        )}
      </div>
    </>
  );
}

export function AuthPageSkeleton() {
  return (
    <PageSkeleton label="Loading authentication settings" titleWidth="w-48">
      <Skeleton className="mb-6 h-9 w-72" />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Skeleton className="h-48 rounded-xl" />
        <Skeleton className="h-48 rounded-xl" />
      </div>
    </PageSkeleton>
  );
}
