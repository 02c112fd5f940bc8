#!/usr/bin/env bash
# Builds the image the tests use in place of Docker Hub's node:24-bookworm-slim, which this
# project's machines cannot reach (their network is the npm registry and Debian's mirrors only).
# What the Dockerfile needs of its base, and no more, taken from this machine: the workspace's
# own Node binary, the C and C++ runtime libraries of Debian's libc6, libgcc-s1 and libstdc++6
# (Node and the native modules of the build link them), npm from the npm registry, busybox (Debian's
# busybox-static) for the shell and the file tools, a `node` user of uid 1000 as in the official
# image, and the certificate authorities this machine trusts (the registry may be reached through
# a proxy that signs with its own). A few seconds, where debootstrap takes a minute.
# Usage: node-base-image.sh TAG
set -euo pipefail
tag="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
if podman image exists "$tag"; then exit 0; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fs="$work/rootfs"
mkdir -p "$fs"/{bin,sbin,usr/bin,usr/sbin,etc/ssl/certs,home/node,root,tmp,usr/local/bin,usr/local/lib/node_modules/npm,var/tmp}
chmod 1777 "$fs/tmp" "$fs/var/tmp"
install -m 0755 "$(command -v busybox)" "$fs/bin/busybox"
busybox --list-full | while read -r applet; do
  [ "$applet" = bin/busybox ] || ln -s /bin/busybox "$fs/$applet"
done
node="$(readlink -f "$root/node_modules/node/bin/node")"
install -m 0755 "$node" "$fs/usr/local/bin/node"
for lib in $(dpkg -L libc6 libgcc-s1 libstdc++6 | grep -E '\.so(\.[0-9]+)*$'); do
  mkdir -p "$fs$(dirname "$lib")" && cp -a "$lib" "$fs$lib"
done
(cd "$work" && npm pack --silent npm@11 >/dev/null)
tar -xzf "$work"/npm-*.tgz -C "$fs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$fs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$fs/usr/local/bin/npx"
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$fs/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$fs/etc/group"
chown 1000:1000 "$fs/home/node"
cas=/etc/ssl/certs/ca-certificates.crt
cp "$cas" "$fs$cas"
tar -C "$fs" -cf "$work/rootfs.tar" .
podman import --quiet \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=$("$node" -p 'process.versions.node')" \
  --change "ENV NODE_EXTRA_CA_CERTS=$cas" \
  --change 'CMD ["node"]' "$work/rootfs.tar" "$tag" >/dev/null
