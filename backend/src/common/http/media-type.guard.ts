import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ApiConsumes } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';

const BODY_TYPES = 'backendify:body-types';
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** Declares the non-JSON body types a route accepts (multipart/form-data, text/csv, …); also documents them. */
export const AcceptsBody = (...types: string[]) =>
  applyDecorators(
    ApiConsumes('application/json', ...types),
    SetMetadata(
      BODY_TYPES,
      types.map((t) => t.toLowerCase()),
    ),
  );

const mediaType = (header: string) => header.split(';')[0].trim().toLowerCase();

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** A body that is neither JSON nor one of `declared` (lower-case media types) → 415. */
export function assertBodyType(req: FastifyRequest, declared: readonly string[]): void {
  const header = req.headers['content-type'];
  if (!header || !hasBody(req)) return;
  const type = mediaType(header);
  if (JSON_TYPE.test(type) || declared.includes(type)) return;
  throw new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    declared.length
      ? `Send application/json or ${declared.join(', ')}, not ${type}`
      : `Send application/json, not ${type}`,
  );
}

/** The body types a route declared with `AcceptsBody` (on the handler, else its class). */
export function declaredBodyTypes(reflector: Reflector, handler: object, cls: object): string[] {
  return (
    reflector.getAllAndOverride<string[] | undefined>(BODY_TYPES, [
      handler as () => void,
      cls as () => void,
    ]) ?? []
  );
}

/** A body that is neither JSON nor a type the route declared → 415 UNSUPPORTED_MEDIA_TYPE. */
export class MediaTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers['content-type'];
    if (!header || !hasBody(req)) return true;
    assertBodyType(req, declaredBodyTypes(this.reflector, ctx.getHandler(), ctx.getClass()));
    return true;
  }
}
