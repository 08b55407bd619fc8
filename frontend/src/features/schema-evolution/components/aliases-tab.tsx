import { useQueries, useQuery } from '@tanstack/react-query';
import { Link2 } from 'lucide-react';
import { Card, CardHeader } from '@/components/ui/card';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { Collection } from '@/lib/schema-meta';
import { formatDate, formatRelative } from '@/lib/utils';
import { aliasesQueryOptions, allFieldsQueryOptions } from '../api/evolution-query';

export function AliasesTab({
  projectId,
  collections,
}: {
  projectId: string;
  collections: Collection[];
}) {
  const aliases = useQuery(aliasesQueryOptions(projectId));
  const nameOf = (id: string) => collections.find((c) => c.id === id)?.name ?? id.slice(0, 8);
  const fieldCollections = [
    ...new Set((aliases.data?.field_aliases ?? []).map((a) => nameOf(a.collection_id))),
  ];
  const fieldLists = useQueries({
    queries: fieldCollections.map((name) => allFieldsQueryOptions(projectId, name)),
  });
  const fieldName = new Map<string, string>();
  for (const q of fieldLists) for (const f of q.data ?? []) fieldName.set(f.id, f.name);
  const rows = [
    ...(aliases.data?.collection_aliases ?? []).map((a) => ({
      key: `c-${a.collection_id}-${a.old_name}`,
      kind: 'collection' as const,
      old: a.old_name,
      current: nameOf(a.collection_id),
      expires: a.expires_at,
      collection: nameOf(a.collection_id),
    })),
    ...(aliases.data?.field_aliases ?? []).map((a) => ({
      key: `f-${a.field_id}-${a.old_name}`,
      kind: 'field' as const,
      old: a.old_name,
      current: fieldName.get(a.field_id) ?? '…',
      expires: a.expires_at,
      collection: nameOf(a.collection_id),
    })),
  ];

  return (
    <Card className="overflow-hidden">
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            <Link2 className="size-4 text-primary" aria-hidden="true" />
            Aliases
          </span>
        }
        description="After a rename, the old name keeps working in the data API (paths, filters, sorting and payloads) until the alias expires."
      />
      {aliases.isError ? (
        <div className="p-4">
          <ProblemAlert error={aliases.error} />
        </div>
      ) : !aliases.data ? (
        <Skeleton className="m-4 h-24" />
      ) : rows.length === 0 ? (
        <p className="px-5 py-12 text-center text-sm text-muted-foreground">
          No aliases. Renaming a collection or a field creates one.
        </p>
      ) : (
        <Table aria-label="Aliases">
          <THead>
            <tr>
              <TH>Kind</TH>
              <TH>Old name</TH>
              <TH>Now</TH>
              <TH>Expires</TH>
            </tr>
          </THead>
          <TBody>
            {rows.map((r) => (
              <AliasRow key={r.key} row={r} />
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

function AliasRow({
  row,
}: {
  row: {
    kind: 'collection' | 'field';
    old: string;
    current: string;
    collection: string;
    expires: string;
  };
}) {
  const prefix = row.kind === 'field' ? `${row.collection}.` : '';
  return (
    <TR data-testid="alias-row" data-alias={row.old}>
      <TD className="text-xs text-muted-foreground capitalize">{row.kind}</TD>
      <TD className="font-mono text-xs">
        <span className="text-muted-foreground">{prefix}</span>
        <span className="font-semibold line-through decoration-muted-foreground/50">{row.old}</span>
      </TD>
      <TD className="font-mono text-xs">
        <span className="text-muted-foreground">{prefix}</span>
        <span className="font-semibold">{row.current}</span>
      </TD>
      <TD className="text-xs">
        {formatDate(row.expires)}{' '}
        <span className="text-muted-foreground">({formatRelative(row.expires)})</span>
      </TD>
    </TR>
  );
}
