# syntax=docker/dockerfile:1
# The production image: `docker build -t structured-course-cds .`, then see compose.yaml and README "Deploy".
# Three stages: production dependencies (better-sqlite3 is compiled here, with the full image's build tools), the
# build (esbuild: src/ -> dist/), and the runtime (slim image, no compilers, no sources, no dev dependencies, not root).
# test/deploy/image.int.test.ts runs these steps in clean folders, in order, as far as they can run without a
# container runtime: keep every step a plain WORKDIR, COPY, RUN, ENV, USER, EXPOSE, HEALTHCHECK or CMD line.

FROM node:20-bookworm AS deps
WORKDIR /app
# .npmrc too: the lock file was made with its settings (legacy-peer-deps), and npm ci refuses it without them.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm AS build
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json .npmrc ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY cds-hooks ./cds-hooks
COPY fhir-resources ./fhir-resources
# Production refuses to start (exit 78) without PUBLIC_BASE_URL and trustedIssuers (CDS_CONFIG): both are the
# deployment's to give. The SQLite file is only the fallback when CDS_DATABASE_URL names no PostgreSQL.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 CDS_FEEDBACK_DB=/data/feedback.sqlite
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# --single-threaded-gc, as `npm run start:prod`: V8's GC helper threads would run a worker thread's collections
# beside the event loop at full priority; on a small machine they took the small calls' CPU (bench/README.md).
CMD ["node", "--single-threaded-gc", "dist/main.js"]
