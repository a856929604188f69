# shellcheck shell=bash
# Sourced by the tools/*.sh scripts: the repository, its venv on PATH, and the checkout linked
# as ansible_collections/gitops/awx under .build/collections (ANSIBLE_COLLECTIONS_PATH).
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$repo/.venv}
export PATH="$venv/bin:$PATH"
mkdir -p "$repo/.build/collections/ansible_collections/gitops"
[ -L "$repo/.build/collections/ansible_collections/gitops/awx" ] || ln -s "$repo" "$repo/.build/collections/ansible_collections/gitops/awx"
export ANSIBLE_COLLECTIONS_PATH="$repo/.build/collections"
