# syntax=docker/dockerfile:1
# One image pattern for every service, built from the monorepo root:
#   docker build --build-arg SERVICE=cases -t registry.example.com/csm/csm-cases:0.1.0 .
# Stages: build (all deps, compile contracts → platform → the service), deps (production dependencies of that one
# workspace only), runtime (compiled output + production node_modules, non-root, read-only-root-FS friendly).
# The base is pinned to an exact Node version tag; release pipelines may pin it harder by digest:
#   --build-arg NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:<digest>
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/platform/package.json packages/platform/
COPY services/ services/
# Install scripts never run: nothing may download binaries at install (see docs/architecture.md).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY packages/ packages/
ARG SERVICE
RUN test -n "${SERVICE}" && test -f "services/${SERVICE}/package.json" \
 && npm run build -w @csm/contracts \
 && npm run build -w @csm/platform \
 && npm run build -w "@csm/${SERVICE}"

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/platform/package.json packages/platform/
COPY services/ services/
ARG SERVICE
RUN npm ci --no-audit --no-fund --ignore-scripts --omit=dev --workspace "@csm/${SERVICE}" \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    CSM_MODE=cluster \
    CSM_SERVICE=${SERVICE}
# No package manager at run time.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-*
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/packages/contracts/package.json packages/contracts/
COPY --from=build /src/packages/contracts/dist packages/contracts/dist
COPY --from=build /src/packages/platform/package.json packages/platform/
COPY --from=build /src/packages/platform/dist packages/platform/dist
COPY --from=build /src/services/${SERVICE}/package.json services/${SERVICE}/
COPY --from=build /src/services/${SERVICE}/dist services/${SERVICE}/dist
WORKDIR /app/services/${SERVICE}
# The `node` user of the base image, numeric so Kubernetes can verify runAsNonRoot. Nothing under /app is writable.
USER 1000:1000
EXPOSE 50051 8080 9464
# Kubernetes probes check health (gRPC health / HTTP); extra arguments (e.g. --migrate-only) go to the service.
ENTRYPOINT ["node", "--enable-source-maps", "dist/main.js"]
