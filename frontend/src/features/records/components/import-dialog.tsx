import { useState } from 'react';
import { FileUp, Upload } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ApiError } from '@/lib/backend';
import { useImportRecords } from '../api/records';

interface ImportDialogProps {
  projectId: string;
  collection: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Uploads a CSV or JSON file; nothing is written unless every row is valid. */
export function ImportDialog({ projectId, collection, open, onOpenChange }: ImportDialogProps) {
  const [file, setFile] = useState<File | null>(null);
  const imp = useImportRecords(projectId, collection);
  const error = imp.error;
  const rowErrors = error instanceof ApiError ? error.errors : [];

  function change(next: boolean) {
    if (!next) {
      setFile(null);
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
              disabled={!file}
              loading={imp.isPending}
              onClick={() => file && imp.mutate(file)}
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
            Column names must match field names.
          </span>
          <input
            id="import-file"
            type="file"
            accept=".csv,.json,text/csv,application/json"
            className="sr-only"
            aria-label="File to import"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              imp.reset();
            }}
          />
        </label>

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
