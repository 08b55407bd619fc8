import { Eye } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { CodeBlock } from '@/components/ui/code-block';
import { EmptyState } from '@/components/ui/empty-state';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { PreviewResult } from '../types';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The generated SQL (read-only, with its bind values) and the first rows of a definition. */
export function PreviewPanel({
  result,
  error,
  loading,
}: {
  result: PreviewResult | undefined;
  error: unknown;
  loading: boolean;
}) {
  if (error) return <ProblemAlert error={error} />;
  if (!result)
    return loading ? (
      <Skeleton className="h-40 w-full" />
    ) : (
      <EmptyState
        icon={Eye}
        title="No preview yet"
        description="Pick a base collection to see rows."
      />
    );
  return (
    <div className="space-y-4" aria-busy={loading}>
      <section aria-label="Preview rows" className="space-y-2">
        <div className="flex items-center gap-2 text-sm">
          <span className="font-medium">Preview</span>
          <Badge tone="neutral" data-testid="preview-total">
            {result.total} row{result.total === 1 ? '' : 's'}
          </Badge>
        </div>
        <div className="max-h-80 overflow-auto rounded-lg border border-border">
          <Table>
            <THead>
              <TR>
                {result.columns.map((c) => (
                  <TH key={c.name} title={`${c.type}${c.source ? ` · ${c.source}` : ''}`}>
                    <span className="font-mono">{c.name}</span>
                    {c.kind === 'aggregate' && (
                      <Badge tone="accent" className="ml-1">
                        agg
                      </Badge>
                    )}
                  </TH>
                ))}
              </TR>
            </THead>
            <TBody>
              {result.rows.length === 0 ? (
                <TR>
                  <TD colSpan={result.columns.length} className="text-muted-foreground">
                    No rows
                  </TD>
                </TR>
              ) : (
                result.rows.map((row, i) => (
                  <TR key={i}>
                    {result.columns.map((c) => (
                      <TD key={c.name} className="font-mono text-xs">
                        {cell(row[c.name])}
                      </TD>
                    ))}
                  </TR>
                ))
              )}
            </TBody>
          </Table>
        </div>
      </section>
      <section aria-label="Generated SQL" className="space-y-2">
        <CodeBlock label="Generated SQL (read-only)" code={result.sql} />
        <CodeBlock label="Bind values" code={JSON.stringify(result.params)} />
      </section>
    </div>
  );
}
