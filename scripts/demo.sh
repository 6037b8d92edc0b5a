#!/usr/bin/env bash
# The main job: set up, build, and run sepvirt on the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

for f in docs/examples/*.xml; do
  echo "== $f"
  ./build/tools/sepvirt-xml "$f"
done
