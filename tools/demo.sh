#!/usr/bin/env bash
# The one-command demo: apply examples/ to AWX twice and show that the second run changes nothing.
# Without CONTROLLER_HOST it starts the bundled local AWX API server (awxsim) on 127.0.0.1 and
# stops it afterwards; with CONTROLLER_HOST & co. set it talks to that AWX instead.
set -euo pipefail
# shellcheck source=tools/_env.sh
source "$(dirname "$0")/_env.sh"
cd "$repo"
export ANSIBLE_PYTHON_INTERPRETER="$venv/bin/python"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; true; }
trap cleanup EXIT

if [ -z "${CONTROLLER_HOST:-}" ]; then
  port=${DEMO_PORT:-8013}
  workdir=$(mktemp -d)
  echo "Starting the local AWX API server on http://127.0.0.1:$port (log: $workdir/awxsim.log)"
  python -m awxsim --host 127.0.0.1 --port "$port" --db "$workdir/awxsim.sqlite3" \
    --projects-root "$workdir/projects" >"$workdir/awxsim.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    python -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
      "http://127.0.0.1:$port/api/v2/ping/" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$workdir/awxsim.log"; exit 1; }
    sleep 0.1
  done
  export CONTROLLER_HOST="http://127.0.0.1:$port" CONTROLLER_USERNAME=admin CONTROLLER_PASSWORD=password
fi

echo "== First run: converge $CONTROLLER_HOST to examples/vars/awx_config.yml"
ansible-playbook -i localhost, examples/site.yml | tee .build/demo-run1.log
echo
echo "== Second run: nothing left to change"
ansible-playbook -i localhost, examples/site.yml | tee .build/demo-run2.log
if grep -Eq 'changed=[1-9]' .build/demo-run2.log; then
  echo "FAIL: the second run changed something" >&2
  exit 1
fi
echo "OK: the second run reports changed=0"
