import { describe, expect, it } from '@jest/globals';
import { pageTitle } from './page-title';

describe('pageTitle', () => {
  it.each([
    [
      '/projects/p1/data',
      { collection: 'posts', projectName: 'My blog' },
      'Data · posts · My blog — Backendify',
    ],
    ['/projects/p1/data', { projectName: 'My blog' }, 'Data · My blog — Backendify'],
    ['/projects/p1', { projectName: 'My blog' }, 'Overview · My blog — Backendify'],
    ['/projects/p1/', { projectName: 'My blog' }, 'Overview · My blog — Backendify'],
    ['/projects/p1/api-keys', { projectName: 'My blog' }, 'API Keys · My blog — Backendify'],
    [
      '/projects/p1/policies',
      { collection: 'posts', projectName: 'Shop' },
      'Policies · Shop — Backendify',
    ],
    [
      '/projects/p1/schema',
      { collection: 'posts', projectName: 'Shop' },
      'Schema · posts · Shop — Backendify',
    ],
    ['/projects', {}, 'Projects — Backendify'],
    ['/login', {}, 'Sign in — Backendify'],
    ['/nowhere', {}, 'Backendify'],
  ])('%s %j → %s', (path, extra, title) => {
    expect(pageTitle(path, extra)).toBe(title);
  });
});
