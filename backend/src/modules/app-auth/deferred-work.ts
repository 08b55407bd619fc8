import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Work done after the answer is sent, one task at a time, so a route answers alike whether or not
 * the work had anything to do (no account-existence oracle through response time).
 */
@Injectable()
export class DeferredWork implements OnApplicationShutdown {
  private readonly logger = new Logger('DeferredWork');
  private tail: Promise<void> = Promise.resolve();

  run(label: string, task: () => Promise<void>): void {
    this.tail = this.tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(task)
      .catch((err: Error) => this.logger.warn(`${label} failed: ${err.message}`));
  }

  /** Resolves once every task queued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tail;
  }
}
