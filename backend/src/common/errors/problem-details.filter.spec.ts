import type { ArgumentsHost } from '@nestjs/common';
import { ProblemDetailsFilter, type ProblemBody } from './problem-details.filter';

/** Runs the filter on `err` and returns what the reply got. */
function answer(err: unknown): {
  status: number;
  headers: Record<string, string>;
  body: ProblemBody;
} {
  const out = { status: 0, headers: {} as Record<string, string>, body: {} as ProblemBody };
  const reply = {
    status(s: number) {
      out.status = s;
      return reply;
    },
    header(k: string, v: string) {
      out.headers[k.toLowerCase()] = v;
      return reply;
    },
    send(b: ProblemBody) {
      out.body = b;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ id: 'r1' }) }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(err, host);
  return out;
}

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('ProblemDetailsFilter', () => {
  it.each([
    ['53300', 'sorry, too many clients already'],
    ['57P03', 'the database system is starting up'],
    ['08006', 'connection failure'],
  ])('a refused or lost database connection (%s) is a retryable 503, not a 500', (code, msg) => {
    const res = answer(pgError(code, msg));
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('1');
    expect(JSON.stringify(res.body)).not.toContain(msg);
  });

  it("pg-pool's connection timeout is a 503 too", () => {
    const res = answer(new Error('timeout exceeded when trying to connect'));
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('keeps constraint errors and unknown errors as they were', () => {
    expect(answer(pgError('23505')).body).toMatchObject({ status: 409, code: 'UNIQUE_VIOLATION' });
    const unknown = answer(new Error('SELECT secret FROM somewhere failed'));
    expect(unknown.status).toBe(500);
    expect(unknown.headers['retry-after']).toBeUndefined();
    expect(JSON.stringify(unknown.body)).not.toContain('SELECT');
  });
});
