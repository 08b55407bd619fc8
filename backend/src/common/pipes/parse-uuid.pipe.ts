import { Injectable, type PipeTransform } from '@nestjs/common';
import { AppError } from '../errors/app-error';
import { isUuid } from '../util/uuid';

/** A path id that is not a uuid names nothing: 404, as for an unknown id. */
@Injectable()
export class ParseUuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw AppError.notFound('Resource');
    return value.toLowerCase();
  }
}
