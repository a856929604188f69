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
checked=0
for kind in module lookup inventory; do
  dir=plugins/$kind
  [ "$kind" = module ] && dir=plugins/modules
  for file in "$dir"/*.py; do
    [ -e "$file" ] || continue
    name=$(basename "$file" .py)
    [ "$name" = __init__ ] && continue
    ansible-doc -t "$kind" "gitops.awx.$name" >/dev/null
    checked=$((checked + 1))
  done
done
if tar -tzf "$tarball" | grep -Eq '(^|/)(\.venv|\.build|tests/output|__pycache__)/'; then
  echo "the tarball contains generated files" >&2
  exit 1
fi
echo "built and installed $tarball ($(tar -tzf "$tarball" | wc -l) files); ansible-doc finds all $checked plugins"
