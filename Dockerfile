# The realm server, the peer bridge, the terminal client and the browser client in one image.
#   docker build -t realmchat .
#   docker compose -f packaging/compose/compose.yaml up --build     (the seed's 2 realms × 3 users)
# docs/operating.md, "Containers", says how it is run and how the tests build it.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV CI=true
COPY . .
# Everything is built as `pnpm build` builds it; then node_modules is made again with only what
# the three commands need at run time, from the store the first install filled.
RUN npx -y pnpm@10.34.9 install --frozen-lockfile --ignore-scripts \
 && npx -y pnpm@10.34.9 --filter "@realmchat/realm-server..." --filter "@realmchat/peer-bridge..." --filter "@realmchat/cli..." build \
 && npx -y pnpm@10.34.9 --filter web exec vite build --logLevel warn \
 && mkdir /out \
 && cp -r apps/web/dist /out/web \
 && find . -name node_modules -prune -exec rm -rf {} + \
 && npx -y pnpm@10.34.9 install --frozen-lockfile --prod --offline \
      --filter "@realmchat/realm-server..." --filter "@realmchat/peer-bridge..." --filter "@realmchat/cli..." \
 && cp -r package.json node_modules /out/ \
 && for p in protocol node-runtime realm-server peer-bridge cli; do \
      mkdir -p /out/packages/$p && cp -r packages/$p/package.json packages/$p/dist /out/packages/$p/; \
      if [ -d packages/$p/node_modules ]; then cp -r packages/$p/node_modules /out/packages/$p/; fi; \
    done

FROM ${NODE_IMAGE}
COPY --from=build /out /opt/realmchat
# tsc writes the commands without the executable bit; their first line is `#!/usr/bin/env node`.
RUN for bin in realm-server/dist/bin/realm-server peer-bridge/dist/bin/peer-bridge cli/dist/bin/realmchat; do \
      chmod 0755 /opt/realmchat/packages/$bin.js && ln -s /opt/realmchat/packages/$bin.js /usr/local/bin/${bin##*/}; \
    done \
 && mkdir -p /var/lib/realmchat && chown node:node /var/lib/realmchat
USER node
WORKDIR /var/lib/realmchat
VOLUME /var/lib/realmchat
CMD ["realm-server", "--help"]
