/** Where this build found `packages/client`, for the Connect panel's install line (vite define). */
declare const __BACKENDIFY_CLIENT_DIR__: string;
