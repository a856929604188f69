#!/usr/bin/env bash
# ansible-lint (offline, production profile) over the example GitOps repository and the test playbooks.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$repo/.venv}
export PATH="$venv/bin:$PATH"
mkdir -p "$repo/.build/collections/ansible_collections/gitops"
[ -L "$repo/.build/collections/ansible_collections/gitops/awx" ] || ln -s "$repo" "$repo/.build/collections/ansible_collections/gitops/awx"
export ANSIBLE_COLLECTIONS_PATH="$repo/.build/collections"
cd "$repo"
ansible-lint --offline --profile production examples/
