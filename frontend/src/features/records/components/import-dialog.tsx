import { useMemo, useState } from 'react';
import { FileUp, Upload } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ApiError } from '@/lib/backend';
import { Select } from '@/components/ui/input';
import { cn } from '@/lib/utils';
import { useImportRecords } from '../api/records';
import {
  detectType,
  guessTarget,
  mappedBody,
  readImportFile,
  SERVER_COLUMNS,
  typeMismatch,
  type ImportSource,
} from '../import-mapping';
import type { Column } from '../types';

interface ImportDialogProps {
  projectId: string;
  collection: string;
  /** The grid's columns; the writable ones are what file columns can map to. */
  columns: Column[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Uploads a CSV or JSON file; nothing is written unless every row is valid. */
const PREVIEW_ROWS = 5;

export function ImportDialog({
  projectId,
  collection,
  columns,
  open,
  onOpenChange,
}: ImportDialogProps) {
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState<ImportSource | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  const targets = useMemo(() => columns.filter((c) => !c.readOnly), [columns]);
  const imp = useImportRecords(projectId, collection);

  async function choose(next: File | null) {
    setFile(next);
    setSource(null);
    setReadError(null);
    imp.reset();
    if (!next) return;
    try {
      const read = readImportFile(next.name, await next.text());
      setSource(read);
      setMapping(read.headers.map((h) => guessTarget(h, targets)));
    } catch (err) {
      setReadError(err instanceof Error ? err.message : 'The file could not be read.');
    }
  }

  const mappedCount = mapping.filter((m) => m !== '').length;
  const duplicate = mapping.find((m, i) => m !== '' && mapping.indexOf(m) !== i);
  const error = imp.error;
  const rowErrors = error instanceof ApiError ? error.errors : [];

  function change(next: boolean) {
    if (!next) {
      setFile(null);
      setSource(null);
      setReadError(null);
      imp.reset();
    }
    onOpenChange(next);
  }

  return (
    <Dialog
      open={open}
      onOpenChange={change}
      title="Import records"
      description={
        <>
          Upload a CSV file with a header row, or a JSON array of objects, into{' '}
          <code className="font-mono">{collection}</code>. If any row is invalid, nothing is
          imported.
        </>
      }
      className="max-w-xl"
      footer={
        <>
          <Button variant="outline" onClick={() => change(false)}>
            {imp.isSuccess ? 'Close' : 'Cancel'}
          </Button>
          {!imp.isSuccess && (
            <Button
              disabled={!source || mappedCount === 0 || !!duplicate}
              loading={imp.isPending}
              onClick={() =>
                source && imp.mutate({ body: mappedBody(source, mapping), format: source.format })
              }
            >
              <Upload aria-hidden="true" />
              Import
            </Button>
          )}
        </>
      }
    >
      <div className="grid grid-cols-1 gap-4">
        <label
          htmlFor="import-file"
          className="flex cursor-pointer flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed border-border px-4 py-8 text-center transition-colors hover:border-primary/50 hover:bg-muted/40"
        >
          <div className="flex size-10 items-center justify-center rounded-full bg-accent text-accent-foreground">
            <FileUp className="size-5" aria-hidden="true" />
          </div>
          {file ? (
            <span className="text-sm">
              <strong>{file.name}</strong>{' '}
              <span className="text-muted-foreground">({formatSize(file.size)})</span>
            </span>
          ) : (
            <span className="text-sm font-medium">Choose a .csv or .json file</span>
          )}
          <span className="text-xs text-muted-foreground">
            You choose which field each column fills before anything is written.
          </span>
          <input
            id="import-file"
            type="file"
            accept=".csv,.json,text/csv,application/json"
            className="sr-only"
            aria-label="File to import"
            onChange={(e) => void choose(e.target.files?.[0] ?? null)}
          />
        </label>

        {readError && <Alert tone="danger" title={readError} />}
        {source && !imp.isSuccess && (
          <ImportPreview
            source={source}
            targets={targets}
            mapping={mapping}
            onMappingChange={setMapping}
          />
        )}
        {duplicate && (
          <Alert tone="danger" title={`Two columns fill ${duplicate}`}>
            Map each field from one column only.
          </Alert>
        )}

        {imp.isSuccess && (
          <Alert tone="info" title={`Imported ${imp.data.inserted} records`}>
            The grid shows them now.
          </Alert>
        )}
        {error && (
          <div className="grid grid-cols-1 gap-2" data-testid="import-errors">
            <Alert tone="danger" title={error instanceof ApiError ? error.detail : String(error)}>
              {rowErrors.length > 0 && 'Fix these rows in the file and import it again.'}
            </Alert>
            {rowErrors.length > 0 && (
              <div className="max-h-56 overflow-auto rounded-lg border border-border">
                <table className="w-full text-left text-xs">
                  <thead className="sticky top-0 bg-muted">
                    <tr>
                      <th className="px-3 py-1.5 font-medium">Row</th>
                      <th className="px-3 py-1.5 font-medium">Field</th>
                      <th className="px-3 py-1.5 font-medium">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rowErrors.map((e, i) => (
                      <tr key={i} className="border-t border-border">
                        <td className="px-3 py-1.5 tabular-nums">{e.row ?? '—'}</td>
                        <td className="px-3 py-1.5 font-mono">{e.field || '—'}</td>
                        <td className="px-3 py-1.5">{e.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
      </div>
    </Dialog>
  );
}

/** The first rows, each column's detected type and the field it goes to (or skipped). */
function ImportPreview({
  source,
  targets,
  mapping,
  onMappingChange,
}: {
  source: ImportSource;
  targets: Column[];
  mapping: string[];
  onMappingChange: (m: string[]) => void;
}) {
  const detected = source.headers.map((_, i) => detectType(source.rows.map((r) => r[i] ?? null)));
  return (
    <div className="grid grid-cols-1 gap-2" data-testid="import-preview">
      <p className="text-sm">
        <strong>{source.rows.length}</strong> row{source.rows.length === 1 ? '' : 's'} in{' '}
        {source.headers.length} columns. The first {Math.min(PREVIEW_ROWS, source.rows.length)}:
      </p>
      <div className="max-h-80 overflow-auto rounded-lg border border-border">
        <table className="w-full text-left text-xs">
          <thead className="sticky top-0 bg-muted align-top">
            <tr>
              {source.headers.map((h, i) => {
                const target = targets.find((c) => c.key === mapping[i]);
                const mismatch = target && typeMismatch(detected[i] ?? 'empty', target);
                return (
                  <th key={`${h}-${i}`} scope="col" className="min-w-36 px-2 py-1.5 font-medium">
                    <div className="font-mono">{h}</div>
                    <div className="mb-1 font-normal text-muted-foreground">
                      looks like {detected[i]}
                    </div>
                    <Select
                      aria-label={`Column ${h} goes to`}
                      value={mapping[i] ?? ''}
                      onChange={(e) =>
                        onMappingChange(mapping.map((m, j) => (j === i ? e.target.value : m)))
                      }
                      className={cn('h-7 text-xs', mismatch && 'border-amber-500')}
                    >
                      <option value="">
                        {SERVER_COLUMNS.includes(h) ? 'Skip (set by the server)' : 'Skip'}
                      </option>
                      {targets.map((c) => (
                        <option key={c.key} value={c.key}>
                          {c.field?.display_name || c.label} ({c.type})
                        </option>
                      ))}
                    </Select>
                    {mismatch && (
                      <div className="mt-1 font-normal text-amber-700 dark:text-amber-400">
                        {target.type} field: rows may be refused
                      </div>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {source.rows.slice(0, PREVIEW_ROWS).map((r, ri) => (
              <tr key={ri} className="border-t border-border">
                {source.headers.map((h, i) => (
                  <td
                    key={`${h}-${i}`}
                    className={cn(
                      'max-w-48 truncate px-2 py-1.5',
                      mapping[i] === '' && 'text-muted-foreground line-through',
                    )}
                  >
                    {r[i] ?? <span className="text-muted-foreground italic">empty</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
