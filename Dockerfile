# migration-gate CLI for CI systems other than GitHub Actions (GitLab CI, Jenkins, Buildkite, …).
# It packages the committed, self-contained CLI bundle (dist/cli/ and the replay sandbox's
# dist/replay/: no npm install, no network).
#   docker build -t migration-gate .
#   docker run --rm -v "$PWD:/repo:ro" migration-gate check .            # exit 0 / 1 / 2
#   docker run --rm -v "$PWD:/repo:ro" migration-gate check --format sarif -o /dev/stdout .
# Node 24: the current LTS, as the action runs on (`runs.using: node24`).
FROM node:24-bookworm-slim
ENV NODE_ENV=production NO_UPDATE_NOTIFIER=1
COPY LICENSE /opt/migration-gate/LICENSE
COPY dist/cli/ /opt/migration-gate/dist/cli/
# The replay sandbox's worker and engines (found relative to the CLI bundle).
COPY dist/replay/ /opt/migration-gate/dist/replay/
# Not root: the tool only reads the mounted files.
USER node
WORKDIR /repo
ENTRYPOINT ["node", "/opt/migration-gate/dist/cli/index.js"]
CMD ["help"]
