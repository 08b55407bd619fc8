import { ConfigError, loadConfig } from './app-config';

const base = { JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/bf-config-spec' };

describe('loadConfig', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['off', false],
    ['0', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 192.168.1.7 ,::1', ['10.0.0.0/8', '192.168.1.7', '::1']],
    ['fd00::/8', ['fd00::/8']],
  ])('TRUST_PROXY=%s → %j', (value, expected) => {
    expect(loadConfig({ ...base, TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['maybe', '10.0.0.0/8,proxy.local', '1.2.3', '-1', ','])(
    'TRUST_PROXY=%s fails naming the variable',
    (value) => {
      expect(() => loadConfig({ ...base, TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    },
  );

  it('IMPORT_MAX_BYTES defaults to 50 MiB and must be a positive integer', () => {
    expect(loadConfig(base).importMaxBytes).toBe(50 * 1024 * 1024);
    expect(loadConfig({ ...base, IMPORT_MAX_BYTES: '1024' }).importMaxBytes).toBe(1024);
    expect(() => loadConfig({ ...base, IMPORT_MAX_BYTES: '0' })).toThrow(/IMPORT_MAX_BYTES/);
    expect(() => loadConfig({ ...base, IMPORT_MAX_BYTES: 'lots' })).toThrow(/IMPORT_MAX_BYTES/);
  });
});
