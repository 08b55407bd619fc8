import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError, type FieldError } from '../errors/app-error';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      out.push({
        field,
        rule: rule === 'whitelistValidation' ? 'unknown_field' : rule,
        message: rule === 'whitelistValidation' ? `Unknown field: ${field}` : message,
      });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** class-validator DTOs with whitelisting: unknown keys and bad values become 400 problem+json. */
export function createValidationPipe({ forbidUnknown = true } = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: forbidUnknown,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const list = flatten(errors);
      const detail = list.length ? list.map((e) => e.message).join('; ') : 'Validation failed';
      return AppError.validation(detail, list);
    },
  });
}
