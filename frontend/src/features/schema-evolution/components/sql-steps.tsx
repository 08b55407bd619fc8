import { CopyButton } from '@/components/ui/copy-button';
import { cn } from '@/lib/utils';

/** Numbered SQL statements, as the server will run them. */
export function SqlSteps({
  steps,
  className,
  label = 'SQL',
}: {
  steps: string[];
  className?: string;
  label?: string;
}) {
  if (steps.length === 0) {
    return (
      <p className={cn('text-xs text-muted-foreground italic', className)}>
        Metadata only: no SQL runs against the table.
      </p>
    );
  }
  return (
    <div
      className={cn('overflow-hidden rounded-lg border border-border bg-muted/40', className)}
      data-testid="sql-preview"
    >
      <div className="flex items-center justify-between border-b border-border px-3 py-1">
        <span className="text-[11px] font-medium tracking-wide text-muted-foreground uppercase">
          {label} · {steps.length} statement{steps.length === 1 ? '' : 's'}
        </span>
        <CopyButton value={steps.map((s) => `${s};`).join('\n')} variant="ghost" />
      </div>
      <ol className="overflow-x-auto py-2 font-mono text-xs leading-relaxed">
        {steps.map((s, i) => (
          <li key={i} className="flex gap-3 px-3">
            <span className="w-4 shrink-0 text-right text-muted-foreground/60 select-none">
              {i + 1}
            </span>
            <code className="min-w-0 whitespace-pre-wrap [overflow-wrap:anywhere]">{s};</code>
          </li>
        ))}
      </ol>
    </div>
  );
}
