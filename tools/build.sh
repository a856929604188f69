#!/usr/bin/env bash
# Build the collection tarball, install it offline into a scratch collections path,
# and check that Ansible finds every plugin in the installed copy.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$repo/.venv}
export PATH="$venv/bin:$PATH"
cd "$repo"
rm -rf .build/dist .build/installed
ansible-galaxy collection build --force --output-path .build/dist .
tarball=$(ls .build/dist/gitops-awx-*.tar.gz)
ansible-galaxy collection install --offline --no-deps --force -p .build/installed "$tarball"
export ANSIBLE_COLLECTIONS_PATH="$repo/.build/installed"
modules=$(ls plugins/modules/*.py | xargs -n1 basename | sed 's/\.py$//' | grep -v '^__init__$')
for module in $modules; do
  ansible-doc -t module "gitops.awx.$module" >/dev/null
done
for lookup in $(ls plugins/lookup/*.py 2>/dev/null | xargs -rn1 basename | sed 's/\.py$//' | grep -v '^__init__$'); do
  ansible-doc -t lookup "gitops.awx.$lookup" >/dev/null
done
for inventory in $(ls plugins/inventory/*.py 2>/dev/null | xargs -rn1 basename | sed 's/\.py$//' | grep -v '^__init__$'); do
  ansible-doc -t inventory "gitops.awx.$inventory" >/dev/null
done
if tar -tzf "$tarball" | grep -Eq '(^|/)(\.venv|\.build|tests/output|__pycache__)/'; then
  echo "the tarball contains generated files" >&2
  exit 1
fi
echo "built and installed $tarball ($(tar -tzf "$tarball" | wc -l) files); ansible-doc finds every plugin"
