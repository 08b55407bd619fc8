export { createClient, type BackendifyClient, type ClientOptions } from './client';
export { BackendifyError, type FieldError, type ProblemDetails } from './errors';
export type { FetchInitLike, FetchLike, FetchResponseLike, QueryValue } from './http';
export {
  memoryStorage,
  webStorage,
  type TokenPair,
  type TokenStorage,
  type WebStorageLike,
} from './storage';
export type {
  AdminApi,
  AdminAuthApi,
  AdminUser,
  ApiKey,
  ApiKeysApi,
  AuthTokens,
  CreateApiKeyInput,
  CreatedApiKey,
  Credentials,
  MembersApi,
  Project,
  ProjectMember,
  ProjectRole,
  ProjectsApi,
} from './admin';
export type {
  BulkInput,
  BulkResult,
  CollectionApi,
  FilterLeaf,
  FilterNode,
  FilterOp,
  FilterScalar,
  FilterValue,
  ListOptions,
  ListParams,
  ListResult,
  ProjectApi,
  ReadOptions,
  RecordId,
  Row,
  SystemFields,
} from './data';
