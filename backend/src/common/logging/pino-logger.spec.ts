import { redactUrl } from './pino-logger';

describe('redactUrl', () => {
  it.each([
    ['/a', '/a'],
    ['/a?x=1', '/a?x=1'],
    ['/a?token=abc&x=1', '/a?token=[REDACTED]&x=1'],
    ['/a?x=1&new_password=p%20w', '/a?x=1&new_password=[REDACTED]'],
    ['/a?CODE=123456', '/a?CODE=[REDACTED]'],
    ['/a?refresh%5Ftoken=r', '/a?refresh%5Ftoken=[REDACTED]'],
    ['/a?api_key=k&password=p', '/a?api_key=[REDACTED]&password=[REDACTED]'],
    ['/a?token', '/a?token'],
    ['/a?%E0%A4%A=1', '/a?%E0%A4%A=1'],
  ])('%s → %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});
