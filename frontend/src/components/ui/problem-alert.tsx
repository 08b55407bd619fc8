import { Alert } from './alert';
import { ApiError, errorMessage } from '@/lib/backend';

/** Shows a failed request: the server's `detail` and each per-field error it listed. */
export function ProblemAlert({ error, className }: { error: unknown; className?: string }) {
  if (!error) return null;
  const detail = error instanceof ApiError ? error.detail : errorMessage(error);
  const errors = error instanceof ApiError ? error.errors : [];
  return (
    <Alert tone="danger" title={detail} className={className}>
      {errors.length > 0 && (
        <ul className="mt-1 list-disc space-y-0.5 pl-4" data-testid="problem-errors">
          {errors.map((e, i) => (
            <li key={`${e.field}-${i}`}>
              {e.field && <code className="font-mono text-xs">{e.field}</code>}
              {e.field && ': '}
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
