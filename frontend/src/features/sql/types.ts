export interface SqlColumn {
  name: string;
  type: string;
}

export interface SqlResult {
  columns: SqlColumn[];
  rows: Record<string, unknown>[];
  row_count: number;
  truncated: boolean;
  duration_ms: number;
}

export interface SqlHistoryEntry {
  id: string;
  query: string;
  params: unknown[] | null;
  read_only: boolean;
  status: 'ok' | 'error';
  error_code: string | null;
  error: string | null;
  row_count: number | null;
  truncated: boolean;
  duration_ms: number | null;
  created_at: string;
}
