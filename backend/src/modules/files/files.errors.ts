import { AppError } from '../../common/errors/app-error';

export const fileNotFound = (): AppError => AppError.notFound('File');
export const bucketNotFound = (): AppError => AppError.notFound('Bucket');

export function bucketNotEmpty(name: string, count: number): AppError {
  return new AppError(
    'CONFLICT',
    `Bucket '${name}' still holds ${count} file(s); delete with ?force=true to remove them too`,
    [{ field: 'force', rule: 'bucket_not_empty', message: 'Pass force=true to delete its files' }],
  );
}

export function fileTooLarge(size: number, max: number): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `File size ${size} exceeds maximum allowed size of ${max} bytes`,
    [{ field: 'file', rule: 'max_size', message: `At most ${max} bytes` }],
  );
}
