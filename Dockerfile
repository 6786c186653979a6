# mqbench container image: the CLI on Node 20, for distributed runs (deploy/kubernetes/) and CI.
#   docker build -t mqbench:0.1.0 .
#   docker run --rm mqbench:0.1.0 run scenarios/fanout.yaml --broker mqtt://broker:1883 --duration 30s
# Not built on the machine this was written on (no Docker daemon there, so no base image could be pulled).

FROM node:20-slim AS build
WORKDIR /app
# `npm ci` runs the `prepare` script (the TypeScript build), so the sources must be there first.
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
RUN npm ci && npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY scenarios ./scenarios
COPY schema ./schema
RUN chmod +x dist/cli/main.js && ln -s /app/dist/cli/main.js /usr/local/bin/mqbench
# The unprivileged user of the node images (uid 1000); results go to a mounted volume (see fsGroup).
USER node
ENTRYPOINT ["mqbench"]
CMD ["--help"]
