import type { Connection, FieldDef, Submittable } from 'pg';

/** What PostgreSQL says of a statement it has parsed but not run: parameter and result types. */
export interface StatementShape {
  paramTypes: number[];
  /** Null: the statement returns no rows (NoData). */
  fields: Pick<FieldDef, 'name' | 'dataTypeID' | 'dataTypeModifier'>[] | null;
}

/**
 * Parse + Describe + Sync on the unnamed statement, never Bind or Execute: PostgreSQL parses and
 * analyses the text (one statement only) as the current role and runs none of it. node-postgres
 * runs it as a custom submittable in its queue; `parameterDescription` is not routed to queries,
 * so it is read off the connection for the life of this one exchange.
 */
export class DescribeStatement implements Submittable {
  private paramTypes: number[] = [];
  private fields: StatementShape['fields'] = null;
  private error: Error | null = null;
  private connection: Connection | null = null;
  private readonly onParams = (msg: { dataTypeIDs: number[] }) => {
    this.paramTypes = [...msg.dataTypeIDs];
  };
  private settle!: { resolve: (s: StatementShape) => void; reject: (e: Error) => void };
  readonly done: Promise<StatementShape>;

  constructor(private readonly text: string) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: Connection): void {
    this.connection = connection;
    connection.on('parameterDescription', this.onParams);
    connection.parse({ name: '', text: this.text, types: [] }, true);
    connection.describe({ type: 'S', name: '' }, true);
    connection.sync();
  }

  handleRowDescription(msg: { fields: FieldDef[] }): void {
    this.fields = msg.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      dataTypeModifier: f.dataTypeModifier,
    }));
  }

  handleError(error: Error): void {
    this.error = error;
    // The client drops its active query on an error, so ReadyForQuery never reaches us after one;
    // its queue still waits for that ReadyForQuery before it sends the next statement.
    this.finish();
  }

  handleReadyForQuery(): void {
    this.finish();
  }

  private finish(): void {
    this.connection?.removeListener('parameterDescription', this.onParams);
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve({ paramTypes: this.paramTypes, fields: this.fields });
  }

  // Never sent in answer to Parse/Describe; present because the client calls whatever arrives.
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}
