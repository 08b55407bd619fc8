export type { MailboxMessage } from '@backendify/client';
