import { Injectable } from '@nestjs/common';
import type { QueryParams } from '../../query-engine';
import type { AccessContext } from '../access/access-context';

/** What `/data/{name}` answers for a view (the views module registers itself here). */
export interface DataViewReader {
  exists(projectId: string, name: string): Promise<boolean>;
  list(access: AccessContext, name: string, query: QueryParams): Promise<unknown>;
}

/**
 * Lets `/data/{name}` read a view when no collection has that name, without the records module
 * depending on the views module (which depends on it).
 */
@Injectable()
export class DataViews {
  private reader: DataViewReader | null = null;

  register(reader: DataViewReader): void {
    this.reader = reader;
  }

  /** The reader when `name` is an active view of the project, else null. */
  async find(projectId: string, name: string): Promise<DataViewReader | null> {
    if (!this.reader) return null;
    return (await this.reader.exists(projectId, name)) ? this.reader : null;
  }
}
