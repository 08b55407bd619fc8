import { useState } from 'react';
import { History, Play, TerminalSquare } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { Collection } from '@/lib/schema-meta';
import { useRunSql } from '../api/sql-mutation';
import { useSqlHistory, useSqlSchema } from '../api/sql-query';
import type { SqlResult } from '../types';
import { SqlEditor } from './sql-editor';

function cell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function SqlSkeleton() {
  return <Skeleton className="h-96 w-full" />;
}

/** One statement at a time as the project's PostgreSQL role; read-only unless an owner switches. */
export function SqlPage({
  projectId,
  collections,
  isOwner,
}: {
  projectId: string;
  collections: Collection[];
  isOwner: boolean;
}) {
  const schema = useSqlSchema(projectId, collections);
  const history = useSqlHistory(projectId);
  const [query, setQuery] = useState(
    () =>
      `SELECT * FROM ${collections.find((c) => !c.is_system)?.sql_table_name ?? '_users'} LIMIT 50`,
  );
  const [write, setWrite] = useState(false);
  const runSql = useRunSql(projectId);
  const run = () => {
    if (query.trim()) runSql.mutate({ query, readOnly: !write });
  };

  return (
    <div>
      <PageHeader
        title="SQL"
        description="Runs one statement as this project's own PostgreSQL role: its tables only, 5 s timeout, at most 1000 rows. Read-only unless an owner turns on writes."
        actions={
          <div className="flex items-center gap-3">
            {isOwner && (
              <label htmlFor="sql-write" className="flex items-center gap-2 text-sm">
                <Switch
                  id="sql-write"
                  checked={write}
                  onCheckedChange={setWrite}
                  aria-label="Allow writes"
                />
                Allow writes
              </label>
            )}
            <Badge tone={write ? 'danger' : 'neutral'} data-testid="sql-mode">
              {write ? 'read-write' : 'read-only'}
            </Badge>
            <Button onClick={run} disabled={runSql.isPending || !query.trim()}>
              <Play className="size-4" aria-hidden /> Run
            </Button>
          </div>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
        <div className="min-w-0 space-y-4">
          <SqlEditor value={query} onChange={setQuery} onRun={run} schema={schema} />
          <p className="text-xs text-muted-foreground">Ctrl/⌘ + Enter runs the statement.</p>
          {runSql.error ? (
            <ProblemAlert error={runSql.error} />
          ) : runSql.data ? (
            <ResultGrid result={runSql.data} />
          ) : (
            <EmptyState
              icon={TerminalSquare}
              title="No results yet"
              description="Write a statement and run it."
            />
          )}
        </div>
        <section aria-label="History" className="space-y-2">
          <h2 className="flex items-center gap-2 text-sm font-medium">
            <History className="size-4" aria-hidden /> History
          </h2>
          {history.length === 0 ? (
            <p className="text-sm text-muted-foreground">Your runs appear here.</p>
          ) : (
            <ul className="max-h-[32rem] space-y-1 overflow-auto" data-testid="sql-history">
              {history.map((h) => (
                <li key={h.id}>
                  <button
                    type="button"
                    onClick={() => {
                      setQuery(h.query);
                      if (!h.read_only && isOwner) setWrite(true);
                    }}
                    className="w-full rounded-md border border-border px-2 py-1.5 text-left hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                    title="Load into the editor"
                  >
                    <code className="line-clamp-2 block font-mono text-xs">{h.query}</code>
                    <span className="mt-1 flex items-center gap-1 text-[11px] text-muted-foreground">
                      <Badge tone={h.status === 'ok' ? 'success' : 'danger'}>
                        {h.status === 'ok'
                          ? `${h.row_count ?? 0} row${h.row_count === 1 ? '' : 's'}`
                          : h.error_code}
                      </Badge>
                      {!h.read_only && <Badge tone="danger">write</Badge>}
                      {new Date(h.created_at).toLocaleTimeString()}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function ResultGrid({ result }: { result: SqlResult }) {
  return (
    <section aria-label="Results" className="space-y-2">
      <div className="flex items-center gap-2 text-sm">
        <Badge tone="neutral" data-testid="sql-row-count">
          {result.row_count} row{result.row_count === 1 ? '' : 's'}
        </Badge>
        {result.truncated && <Badge tone="warning">first 1000 rows</Badge>}
        <span className="text-muted-foreground">{result.duration_ms} ms</span>
      </div>
      {result.columns.length > 0 && (
        <div className="max-h-[28rem] overflow-auto rounded-lg border border-border">
          <Table>
            <THead>
              <TR>
                {result.columns.map((c) => (
                  <TH key={c.name} title={c.type}>
                    <span className="font-mono">{c.name}</span>
                    <span className="ml-1 text-[10px] font-normal text-muted-foreground">
                      {c.type}
                    </span>
                  </TH>
                ))}
              </TR>
            </THead>
            <TBody>
              {result.rows.map((row, i) => (
                <TR key={i}>
                  {result.columns.map((c) => (
                    <TD key={c.name} className="font-mono text-xs">
                      {cell(row[c.name])}
                    </TD>
                  ))}
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </section>
  );
}
