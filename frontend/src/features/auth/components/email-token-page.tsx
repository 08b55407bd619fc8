import { useEffect, useRef, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { errorMessage } from '@/lib/api-client';

interface EmailTokenPageProps {
  title: string;
  token: string | undefined;
  /** Runs once with the token of the mailed link. */
  run: (token: string) => void;
  pending: boolean;
  error: unknown;
  done: ReactNode | null;
}

/** A page behind a mailed link: uses its token once, then shows the outcome. */
export function EmailTokenPage({ title, token, run, pending, error, done }: EmailTokenPageProps) {
  const started = useRef(false);
  useEffect(() => {
    if (token && !started.current) {
      started.current = true;
      run(token);
    }
  }, [token, run]);

  return (
    <div className="mx-auto max-w-lg p-6">
      <Card>
        <CardHeader title={title} />
        <CardContent>
          {!token ? (
            <Alert tone="danger">
              This link has no token. Open the link from the e-mail again.
            </Alert>
          ) : error ? (
            <Alert tone="danger" title="That did not work">
              {errorMessage(error)}
            </Alert>
          ) : pending || !done ? (
            <Skeleton className="h-10" aria-busy="true" />
          ) : (
            done
          )}
        </CardContent>
      </Card>
    </div>
  );
}
