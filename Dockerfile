# syntax=docker/dockerfile:1
# ai-fixer: the bot, run by tsx (a production dependency; the README's "Run in production" says why no
# compile step). Build: docker build -t ai-fixer . — no secrets are baked in: all come from the environment.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/var/lib/ai-fixer \
    RUNBOOKS_DIR=/app/runbooks
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY machines ./machines
COPY migrations ./migrations
COPY plugins ./plugins
COPY runbooks ./runbooks
COPY policy ./policy
COPY web ./web
COPY scripts/container-entrypoint.sh ./scripts/container-entrypoint.sh
# The image's own user (uid 1000, from the base image); the embedded database's directory is its only writable path.
RUN mkdir -p /var/lib/ai-fixer && chown node:node /var/lib/ai-fixer
USER node
EXPOSE 3000
# /healthz: the process answers (readiness, /readyz, is the orchestrator's business). HTTPS when TLS_CERT is set.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const c=process.env.TLS_CERT?require('node:https'):require('node:http');c.get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/healthz',rejectUnauthorized:false,timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
# `start`: migrations, then the bot; `migrate`: migrations only (the Kubernetes Job); `serve`: the bot only.
ENTRYPOINT ["/app/scripts/container-entrypoint.sh"]
CMD ["start"]
