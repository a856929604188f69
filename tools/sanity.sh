#!/usr/bin/env bash
# Run `ansible-test sanity` on a copy of the collection laid out as
# ansible_collections/gitops/awx (ansible-test insists on that path), with no ignore file.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$repo/.venv}
python_version=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

# ansible-test downloads a pip bootstrap script; put the offline stand-in in its cache.
pip_version=$("$venv/bin/python" - <<'PY'
import re, ansible_test, os
src = open(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")).read()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
mkdir -p "$HOME/.ansible/test/cache"
cp "$repo/tools/ansible_test_get_pip.py" "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/gitops-awx-sanity.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
work="$scratch/ansible_collections/gitops/awx"
mkdir -p "$work"
(cd "$repo" && git ls-files -co --exclude-standard -z | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$work"
cd "$work"
git init -q . && git add -A >/dev/null && git -c user.name=ci -c user.email=ci@localhost commit -qm sanity
PATH="$venv/bin:$PATH" ansible-test sanity --venv --python "$python_version" --color no "$@"
