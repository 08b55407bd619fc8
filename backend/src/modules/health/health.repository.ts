import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

@Injectable()
export class HealthRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** True when the database answers and no system migration is pending. */
  async ready(): Promise<{ database: boolean; migrations: boolean }> {
    try {
      await this.ds.query('SELECT 1');
    } catch {
      return { database: false, migrations: false };
    }
    try {
      return { database: true, migrations: !(await this.ds.showMigrations()) };
    } catch {
      return { database: true, migrations: false };
    }
  }
}
