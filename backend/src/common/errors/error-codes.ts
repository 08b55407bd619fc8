/** Stable machine-readable error codes (DESIGN §8). */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNIQUE_VIOLATION: 409,
  FOREIGN_KEY_VIOLATION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  LOCKED_OUT: 429,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  TIMEOUT: 503,
  SERVICE_UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Validation failed',
  BAD_REQUEST: 'Bad request',
  UNAUTHENTICATED: 'Unauthenticated',
  FORBIDDEN: 'Forbidden',
  EMAIL_NOT_VERIFIED: 'E-mail address not verified',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  UNIQUE_VIOLATION: 'Unique violation',
  FOREIGN_KEY_VIOLATION: 'Foreign key violation',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  LOCKED_OUT: 'Locked out',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Internal server error',
  TIMEOUT: 'Timed out',
  SERVICE_UNAVAILABLE: 'Service unavailable',
};
