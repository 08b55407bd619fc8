export type { Project } from '@backendify/client';
