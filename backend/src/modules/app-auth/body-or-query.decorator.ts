import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { createValidationPipe } from '../../common/pipes/validation.pipe';

/** The JSON body, with query-string fields as fallback (the original took some of these in the URL). */
const BodyOrQueryParam = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  const req = ctx.switchToHttp().getRequest<{ body?: unknown; query?: unknown }>();
  const body =
    req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  const query =
    req.query && typeof req.query === 'object' ? (req.query as Record<string, unknown>) : {};
  return { ...query, ...body };
});

// The global pipe skips custom decorators; this copy of it is told not to.
const pipe = Object.assign(createValidationPipe(), { validateCustomDecorators: true });

export const BodyOrQuery = () => BodyOrQueryParam(pipe);
