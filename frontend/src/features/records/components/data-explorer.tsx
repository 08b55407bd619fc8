import { useEffect, useMemo, useState } from 'react';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import {
  ChevronLeft,
  ChevronRight,
  Columns3,
  Database,
  Download,
  FileUp,
  Lock,
  PanelLeftClose,
  PanelLeftOpen,
  Plus,
  RefreshCw,
  Search,
  SearchX,
  Table2,
  Trash2,
} from 'lucide-react';
import { ConnectButton } from '@/components/connect/connect-panel';
import { PageHeader } from '@/components/layout/page-header';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Menu, menuItemClasses } from '@/components/ui/menu';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { Select } from '@/components/ui/input';
import { PageSkeleton, Skeleton } from '@/components/ui/skeleton';
import { toast } from '@/components/ui/toast';
import { useMe } from '@/features/auth/api/me-query';
import { LiveToggle } from '@/features/realtime/components/live-toggle';
import { useLiveCollection } from '@/features/realtime/use-live-collection';
import { errorMessage, type QueryParams } from '@/lib/backend';
import { collectionsQueryOptions, fieldsQueryOptions, type Collection } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import { useStoredState } from '@/lib/use-stored-state';
import {
  dataKeys,
  exportRecords,
  useBulkDelete,
  useDeleteRecord,
  useRecords,
  useUpdateRecord,
} from '../api/records';
import { buildColumns } from '../columns';
import {
  EMPTY_LAYOUT,
  dropColumn,
  layoutKey,
  visibleColumns,
  type GridLayout,
} from '../grid-layout';
import { ColumnChooser } from './column-chooser';
import {
  PAGE_SIZES,
  formatFilter,
  parseFilter,
  type DataSearch,
  type Filter,
  type PageSize,
  type RecordRow,
} from '../types';
import { FilterBar } from './filter-bar';
import { ImportDialog } from './import-dialog';
import { RecordDialog } from './record-dialog';
import { HEADER_HEIGHT, ROW_HEIGHT, RecordGrid } from './record-grid';

interface DataExplorerProps {
  projectId: string;
  search: DataSearch;
  onSearchChange: (next: Partial<DataSearch>, options?: { replace?: boolean }) => void;
}

export function DataExplorer({ projectId, search, onSearchChange }: DataExplorerProps) {
  const { data: collections } = useSuspenseQuery(collectionsQueryOptions(projectId));
  const sorted = [...collections].sort(
    (a, b) => Number(a.is_system) - Number(b.is_system) || a.name.localeCompare(b.name),
  );
  const current =
    sorted.find((c) => c.name === search.collection) ?? sorted.find((c) => !c.is_system);
  const [panelClosed, setPanelClosed] = useStoredState('backendify.data.collections-closed', false);

  return (
    <>
      <PageHeader
        title="Data"
        description="Browse, filter and edit the records of each collection. Filters, sort and page are kept in the URL."
        actions={
          current && !current.is_system ? (
            <ConnectButton projectId={projectId} collection={current.name} />
          ) : undefined
        }
      />
      <div
        className={cn(
          'grid grid-cols-1 items-start gap-6',
          panelClosed
            ? 'lg:grid-cols-[2.75rem_minmax(0,1fr)]'
            : 'lg:grid-cols-[14rem_minmax(0,1fr)]',
        )}
      >
        <Card className="overflow-hidden" data-testid="collections-panel">
          <div
            className={cn(
              'flex items-center justify-between gap-2 py-1.5',
              panelClosed ? 'px-1.5' : 'border-b border-border pr-1.5 pl-4',
            )}
          >
            <h2
              className={cn(
                'text-xs font-semibold tracking-wide text-muted-foreground uppercase',
                panelClosed && 'sr-only',
              )}
            >
              Collections
            </h2>
            <Button
              variant="ghost"
              size="icon"
              aria-label={panelClosed ? 'Show collections' : 'Hide collections'}
              aria-expanded={!panelClosed}
              aria-controls="data-collections"
              onClick={() => setPanelClosed(!panelClosed)}
            >
              {panelClosed ? (
                <PanelLeftOpen aria-hidden="true" />
              ) : (
                <PanelLeftClose aria-hidden="true" />
              )}
            </Button>
          </div>
          <nav
            id="data-collections"
            aria-label="Collections"
            hidden={panelClosed}
            className="max-h-[70vh] overflow-y-auto p-1.5"
          >
            <ul className="grid gap-0.5">
              {sorted.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    aria-current={current?.name === c.name ? 'page' : undefined}
                    onClick={() =>
                      onSearchChange({
                        collection: c.name,
                        where: undefined,
                        sort: undefined,
                        offset: undefined,
                        search: undefined,
                      })
                    }
                    className={cn(
                      'flex w-full cursor-pointer items-center gap-2.5 rounded-md px-2.5 py-2 text-left text-sm transition-colors',
                      'focus-visible:outline-2 focus-visible:outline-ring',
                      current?.name === c.name
                        ? 'bg-accent font-medium text-accent-foreground'
                        : 'hover:bg-muted',
                    )}
                  >
                    <Table2 className="size-4 shrink-0 opacity-60" aria-hidden="true" />
                    <span className="min-w-0 flex-1 truncate">{c.display_name || c.name}</span>
                    {c.is_system && <Lock className="size-3 opacity-50" aria-label="System" />}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        </Card>
        {current ? (
          <CollectionData
            key={current.id}
            projectId={projectId}
            collection={current}
            collections={collections}
            search={search}
            onSearchChange={onSearchChange}
          />
        ) : (
          <EmptyState
            icon={Database}
            title="No collections yet"
            description="Create a collection in the Schema module, then come back to add records."
            action={
              <Link
                to="/projects/$projectId/schema"
                params={{ projectId }}
                search={{ create: true }}
                className={buttonClasses('primary')}
              >
                <Plus aria-hidden="true" />
                Create a collection
              </Link>
            }
          />
        )}
      </div>
    </>
  );
}

function useViewportHeight() {
  const [h, setH] = useState(() => window.innerHeight);
  useEffect(() => {
    const on = () => setH(window.innerHeight);
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return h;
}

const LIVE_KEY = 'backendify.data.paused';

/** The live/paused choice, kept per browser like the theme. */
function usePausedPreference(): [boolean, (paused: boolean) => void] {
  const [paused, setPaused] = useState(() => {
    try {
      return localStorage.getItem(LIVE_KEY) === 'true';
    } catch {
      return false;
    }
  });
  return [
    paused,
    (next) => {
      setPaused(next);
      try {
        localStorage.setItem(LIVE_KEY, String(next));
      } catch {
        // Private mode: the choice lasts for this page.
      }
    },
  ];
}

function CollectionData({
  projectId,
  collection,
  collections,
  search,
  onSearchChange,
}: {
  projectId: string;
  collection: Collection;
  collections: Collection[];
  search: DataSearch;
  onSearchChange: DataExplorerProps['onSearchChange'];
}) {
  const fieldsQuery = useQuery(fieldsQueryOptions(projectId, collection.name));
  const columns = useMemo(
    () => buildColumns(collection, fieldsQuery.data ?? [], collections),
    [collection, fieldsQuery.data, collections],
  );
  const me = useMe();
  const [layout, setLayout] = useStoredState<GridLayout>(
    layoutKey(me.data?.id, projectId, collection.name),
    EMPTY_LAYOUT,
  );
  const [choosing, setChoosing] = useState(false);
  const shown = visibleColumns(columns, layout, collection.display_field);
  const fixed = new Set(Object.keys(layout.widths));
  const filters = (search.where ?? []).map(parseFilter).filter((f): f is Filter => f !== null);
  const limit: PageSize = search.limit ?? 25;
  const offset = search.offset ?? 0;
  const expand = columns.flatMap((c) => (c.relation ? [c.relation.name] : [])).join(',');

  const filterParams: QueryParams = {};
  for (const f of filters) filterParams[`${f.field}__${f.op}`] = f.value;
  if (search.search) filterParams.search = search.search;
  if (search.sort) filterParams.sort = search.sort;
  const params: QueryParams = { ...filterParams, limit, offset, expand: expand || undefined };

  // Wait for the fields: the relations to expand change the query, and an earlier fetch
  // without them would be aborted (a second request on every cold load).
  const records = useRecords(
    projectId,
    collection.name,
    fieldsQuery.isSuccess ? params : { ...params, expand: undefined },
    { enabled: !fieldsQuery.isPending },
  );
  const rows = records.data?.records ?? [];
  const total = records.data?.total ?? null;
  const [paused, setPaused] = usePausedPreference();
  const live = useLiveCollection(
    projectId,
    collection.name,
    dataKeys.collection(projectId, collection.name),
    { paused },
  );

  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<{ record: RecordRow | null } | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [deleting, setDeleting] = useState<RecordRow | null>(null);
  const [bulkOpen, setBulkOpen] = useState(false);
  const [searchDraft, setSearchDraft] = useState(search.search ?? '');
  const update = useUpdateRecord(projectId, collection.name, { inline: true });
  const del = useDeleteRecord(projectId, collection.name);
  const bulk = useBulkDelete(projectId, collection.name);
  const viewport = useViewportHeight();

  useEffect(() => setSelected(new Set()), [offset, limit, search.where, search.search]);

  useEffect(() => {
    const handle = window.setTimeout(() => {
      if ((search.search ?? '') !== searchDraft)
        onSearchChange({ search: searchDraft || undefined, offset: undefined }, { replace: true });
    }, 350);
    return () => window.clearTimeout(handle);
  }, [searchDraft, search.search, onSearchChange]);

  const gridHeight = Math.max(
    260,
    Math.min(viewport - 400, 38 + Math.max(rows.length, 6) * ROW_HEIGHT + 2),
  );

  function setFilters(next: Filter[]) {
    onSearchChange({ where: next.length ? next.map(formatFilter) : undefined, offset: undefined });
  }

  function toggleSort(key: string) {
    const next = search.sort === key ? `-${key}` : search.sort === `-${key}` ? undefined : key;
    onSearchChange({ sort: next, offset: undefined });
  }

  async function download(format: 'csv' | 'json') {
    try {
      await exportRecords(projectId, collection.name, format, filterParams);
      toast.success(`Exported ${collection.name}.${format}`);
    } catch (error) {
      toast.error(errorMessage(error));
    }
  }

  /** The grid at `height`; with no rows it still shows the headers. */
  const grid = (height: number) => (
    <RecordGrid
      columns={shown.columns}
      pinned={shown.pinned}
      fixed={fixed}
      onResize={(key, width) =>
        setLayout({ ...layout, widths: { ...layout.widths, [key]: width } })
      }
      onReorder={(key, target) => setLayout(dropColumn(columns, layout, key, target))}
      rows={rows}
      sort={search.sort}
      onSort={toggleSort}
      selected={selected}
      onToggle={(id) =>
        setSelected((prev) => {
          const next = new Set(prev);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        })
      }
      onToggleAll={(checked) =>
        setSelected(checked ? new Set(rows.map((r) => String(r.id))) : new Set())
      }
      onOpen={(row) => setDialog({ record: row })}
      onSaveCell={async (row, column, value) => {
        await update.mutateAsync({ id: row.id, body: { [column.key]: value } });
      }}
      height={height}
      busy={records.isFetching}
      flashed={live.flashed}
    />
  );

  const from = rows.length ? offset + 1 : 0;
  const to = offset + rows.length;
  const pages = total !== null ? Math.max(1, Math.ceil(total / limit)) : null;
  const page = Math.floor(offset / limit) + 1;
  const hasNext = total !== null ? to < total : records.data?.next_cursor != null;
  const filtered = filters.length > 0 || !!search.search;

  return (
    <Card className="min-w-0 overflow-hidden" data-testid="data-explorer">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-border px-4 py-3">
        <div className="flex min-w-0 items-center gap-3">
          <h2 className="truncate text-base font-semibold">{collection.display_name}</h2>
          <code className="hidden font-mono text-xs text-muted-foreground sm:inline">
            {collection.name}
          </code>
          {total !== null && (
            <span
              className="rounded-full bg-muted px-2 py-0.5 text-xs text-muted-foreground tabular-nums"
              data-testid="record-total"
            >
              {total.toLocaleString()} record{total === 1 ? '' : 's'}
            </span>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <LiveToggle live={live} paused={paused} onPausedChange={setPaused} />
          <Button
            variant="ghost"
            size="icon"
            aria-label="Refresh"
            onClick={() => void records.refetch()}
            className={cn(records.isFetching && '[&_svg]:animate-spin')}
          >
            <RefreshCw aria-hidden="true" />
          </Button>
          <Button
            variant="outline"
            size="sm"
            onClick={() => setChoosing(true)}
            aria-label={`Columns${shown.columns.length < columns.length ? ` (${columns.length - shown.columns.length} hidden)` : ''}`}
          >
            <Columns3 aria-hidden="true" />
            Columns
            {shown.columns.length < columns.length && (
              <span
                className="rounded-full bg-muted px-1.5 text-xs tabular-nums"
                aria-hidden="true"
              >
                {shown.columns.length}/{columns.length}
              </span>
            )}
          </Button>
          {!collection.is_system && (
            <Button variant="outline" size="sm" onClick={() => setImportOpen(true)}>
              <FileUp aria-hidden="true" />
              Import
            </Button>
          )}
          <Menu
            label="Export"
            trigger={(props) => (
              <Button {...props} variant="outline" size="sm">
                <Download aria-hidden="true" />
                Export
              </Button>
            )}
          >
            {(close) => (
              <>
                {(['csv', 'json'] as const).map((format) => (
                  <button
                    key={format}
                    type="button"
                    role="menuitem"
                    className={menuItemClasses}
                    onClick={() => {
                      close();
                      void download(format);
                    }}
                  >
                    <Download aria-hidden="true" />
                    Export as {format.toUpperCase()}
                  </button>
                ))}
              </>
            )}
          </Menu>
          {collection.is_system ? (
            <span className="inline-flex items-center gap-1.5 rounded-md bg-muted px-2.5 py-1.5 text-xs text-muted-foreground">
              <Lock className="size-3.5" aria-hidden="true" />
              App users are created through sign-up or App Users
            </span>
          ) : (
            <Button size="sm" onClick={() => setDialog({ record: null })}>
              <Plus aria-hidden="true" />
              New record
            </Button>
          )}
        </div>
      </div>

      <div className="flex flex-wrap items-center gap-2 border-b border-border bg-muted/30 px-4 py-2">
        <div className="relative">
          <Search
            className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-muted-foreground"
            aria-hidden="true"
          />
          <input
            type="search"
            aria-label="Search records"
            value={searchDraft}
            onChange={(e) => setSearchDraft(e.target.value)}
            placeholder="Search text fields…"
            className="h-8 w-56 rounded-md border border-input bg-card pr-2 pl-8 text-xs shadow-xs outline-none focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/30"
          />
        </div>
        <FilterBar
          projectId={projectId}
          columns={columns}
          filters={filters}
          onChange={setFilters}
        />
        {selected.size > 0 && (
          <div className="ml-auto flex items-center gap-2" data-testid="bulk-bar">
            <span className="text-xs font-medium">{selected.size} selected</span>
            <Button variant="ghost" size="sm" onClick={() => setSelected(new Set())}>
              Clear
            </Button>
            <Button variant="destructive" size="sm" onClick={() => setBulkOpen(true)}>
              <Trash2 aria-hidden="true" />
              Delete selected
            </Button>
          </div>
        )}
      </div>

      {records.isError && !records.data ? (
        <div className="grid gap-3 p-6">
          <ProblemAlert error={records.error} />
          <div>
            <Button variant="outline" size="sm" onClick={() => void records.refetch()}>
              Try again
            </Button>
          </div>
        </div>
      ) : records.isPending || fieldsQuery.isPending ? (
        <div className="space-y-px p-4" aria-busy="true" aria-label="Loading records">
          <Skeleton className="h-9" />
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} className="h-8 opacity-60" />
          ))}
        </div>
      ) : rows.length === 0 ? (
        <>
          {grid(HEADER_HEIGHT + 2)}
          {filtered ? (
            <EmptyState
              className="m-6"
              icon={SearchX}
              title="No records match"
              description="Change or remove the filters to see more records."
              action={
                <Button
                  variant="outline"
                  onClick={() => {
                    setSearchDraft('');
                    onSearchChange({ where: undefined, search: undefined, offset: undefined });
                  }}
                >
                  Clear filters
                </Button>
              }
            />
          ) : (
            <EmptyState
              className="m-6"
              icon={Table2}
              title={
                offset > 0 ? 'No more records' : `No records in ${collection.display_name} yet`
              }
              description={
                collection.is_system
                  ? 'Records appear here when app users sign up.'
                  : 'Create the first record, or import a CSV or JSON file.'
              }
              action={
                !collection.is_system && (
                  <div className="flex gap-2">
                    <Button onClick={() => setDialog({ record: null })}>
                      <Plus aria-hidden="true" />
                      New record
                    </Button>
                    <Button variant="outline" onClick={() => setImportOpen(true)}>
                      <FileUp aria-hidden="true" />
                      Import
                    </Button>
                  </div>
                )
              }
            />
          )}
        </>
      ) : (
        <>
          {records.isError && <ProblemAlert className="m-3" error={records.error} />}
          {grid(gridHeight)}
        </>
      )}

      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-border bg-muted/30 px-4 py-2.5 text-xs">
        <div className="flex items-center gap-2 whitespace-nowrap">
          <label htmlFor="page-size" className="text-muted-foreground">
            Rows per page
          </label>
          <Select
            id="page-size"
            value={limit}
            onChange={(e) =>
              onSearchChange({ limit: Number(e.target.value) as PageSize, offset: undefined })
            }
            className="h-8 !w-20 text-xs"
          >
            {PAGE_SIZES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex items-center gap-3 whitespace-nowrap">
          <span className="text-muted-foreground tabular-nums" data-testid="page-range">
            {from}–{to}
            {total !== null && ` of ${total.toLocaleString()}`}
          </span>
          {pages !== null && (
            <span className="text-muted-foreground tabular-nums">
              Page {page} of {pages}
            </span>
          )}
          <div className="flex gap-1">
            <Button
              variant="outline"
              size="sm"
              aria-label="Previous page"
              disabled={offset === 0}
              onClick={() => onSearchChange({ offset: Math.max(0, offset - limit) || undefined })}
            >
              <ChevronLeft aria-hidden="true" />
            </Button>
            <Button
              variant="outline"
              size="sm"
              aria-label="Next page"
              disabled={!hasNext}
              onClick={() => onSearchChange({ offset: offset + limit })}
            >
              <ChevronRight aria-hidden="true" />
            </Button>
          </div>
        </div>
      </div>

      <RecordDialog
        projectId={projectId}
        collection={collection.name}
        columns={columns}
        record={dialog?.record ?? null}
        open={dialog !== null}
        onOpenChange={(open) => !open && setDialog(null)}
        onDelete={(row) => setDeleting(row)}
        onRecordChange={(row) => setDialog({ record: row })}
      />
      <ColumnChooser
        open={choosing}
        onOpenChange={setChoosing}
        columns={columns}
        layout={layout}
        displayField={collection.display_field}
        onChange={setLayout}
        onReset={() => setLayout(EMPTY_LAYOUT)}
      />
      <ImportDialog
        projectId={projectId}
        collection={collection.name}
        columns={columns}
        open={importOpen}
        onOpenChange={setImportOpen}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete record"
        description={`Delete record ${String(deleting?.id ?? '')} from ${collection.name}? This cannot be undone.`}
        confirmLabel="Delete record"
        pending={del.isPending}
        onConfirm={() =>
          deleting &&
          del.mutate(deleting.id, {
            onSuccess: () => {
              setDeleting(null);
              setDialog(null);
            },
          })
        }
      />
      <ConfirmDialog
        open={bulkOpen}
        onOpenChange={setBulkOpen}
        title={`Delete ${selected.size} record${selected.size === 1 ? '' : 's'}`}
        description="They are deleted in one transaction. This cannot be undone."
        confirmLabel="Delete records"
        pending={bulk.isPending}
        onConfirm={() =>
          bulk.mutate(
            rows.filter((r) => selected.has(String(r.id))).map((r) => r.id),
            {
              onSuccess: () => {
                setBulkOpen(false);
                setSelected(new Set());
              },
            },
          )
        }
      />
    </Card>
  );
}

export function DataExplorerSkeleton() {
  return (
    <PageSkeleton label="Loading" titleWidth="w-32">
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[14rem_minmax(0,1fr)]">
        <Skeleton className="h-64 rounded-xl" />
        <Skeleton className="h-[28rem] rounded-xl" />
      </div>
    </PageSkeleton>
  );
}
