import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ValidationsService } from '../validations/validations.service';
import { RecordHooks } from './record-hooks';

/** Runs the project's validation rules on every create and update before the write. */
@Injectable()
export class RecordValidationHook implements OnModuleInit {
  constructor(
    private readonly hooks: RecordHooks,
    private readonly validations: ValidationsService,
  ) {}

  onModuleInit(): void {
    this.hooks.onBeforeWrite((e) =>
      this.validations.validateForWrite(e.access.projectId, e.collection.id, e.payload, e.mode),
    );
  }
}
