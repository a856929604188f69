#!/usr/bin/env bash
# `lint`: antsibull-docs checks every plugin's DOCUMENTATION/EXAMPLES/RETURN and the docs links.
# `build`: renders the plugin reference into .build/docs (generated, not committed).
set -euo pipefail
# shellcheck source=tools/_env.sh
source "$(dirname "$0")/_env.sh"
case "${1:-lint}" in
  lint)
    cd "$repo/.build/collections/ansible_collections/gitops/awx"
    antsibull-docs lint-collection-docs --plugin-docs .
    ;;
  build)
    rm -rf "$repo/.build/docs" && mkdir -p "$repo/.build/docs"
    antsibull-docs collection --use-current --dest-dir "$repo/.build/docs" gitops.awx
    echo "plugin docs written to .build/docs"
    ;;
  *) echo "usage: $0 lint|build" >&2; exit 2 ;;
esac
