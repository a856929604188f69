#!/usr/bin/env bash
# ansible-lint (offline, production profile) over the example GitOps repository and the test playbooks.
set -euo pipefail
# shellcheck source=tools/_env.sh
source "$(dirname "$0")/_env.sh"
cd "$repo"
ansible-lint --offline --profile production examples/ tests/integration/playbooks/
