import { isConnectionLoss } from './connection-loss';

describe('isConnectionLoss', () => {
  it.each([
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '53300', message: 'sorry, too many clients already' }],
    [{ code: '08006', message: 'connection failure' }],
    [{ code: 'ECONNRESET', message: 'read ECONNRESET' }],
    [new Error('Connection terminated unexpectedly')],
    [new Error('Client has encountered a connection error and is not queryable')],
  ])('knows %p', (err) => expect(isConnectionLoss(err)).toBe(true));

  it.each([
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a string'],
    [null],
  ])('refuses %p', (err) => expect(isConnectionLoss(err)).toBe(false));
});
