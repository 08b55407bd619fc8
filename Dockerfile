# syntax=docker/dockerfile:1
# Backendify: API + console in one image. Build: docker build -t backendify .

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV CI=true COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# pnpm comes from corepack, pinned by "packageManager" in package.json; a current corepack
# knows the registry's current signing keys.
RUN npm install -g corepack@latest && corepack enable
# Fetch dependencies from the lockfile alone, so this layer is cached until the lockfile changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches ./patches
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile
RUN pnpm build
# Reinstall with production dependencies only (from the store, offline) for the runtime stage:
# no dev dependency ships; the install scripts of pnpm.onlyBuiltDependencies run again, so
# argon2's and sharp's native binaries for this platform are in node_modules.
RUN rm -rf node_modules backend/node_modules frontend/node_modules packages/*/node_modules \
  && pnpm install --offline --frozen-lockfile --prod

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/backend/package.json ./backend/package.json
COPY --from=build --chown=node:node /app/backend/node_modules ./backend/node_modules
COPY --from=build --chown=node:node /app/backend/dist ./backend/dist
COPY --from=build --chown=node:node /app/frontend/dist ./frontend/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "backend/dist/main.js"]
