import { AppError } from '../common/errors/app-error';

/** Every rejection of a query is a 400 VALIDATION_FAILED with one `{field, rule, message}` entry. */
export function queryError(field: string, rule: string, message: string): AppError {
  return AppError.validation(message, [{ field, rule, message }]);
}

export function unknownField(name: string): AppError {
  return queryError(name, 'unknown_field', `Unknown field: ${name}`);
}
