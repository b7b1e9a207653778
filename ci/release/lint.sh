#!/usr/bin/env bash
# Usage: ci/release/lint.sh
# yamllint (Debian/Ubuntu package yamllint, or pip) of the release workflow, with the rules in
# ci/release/yamllint.yml. Exits non-zero on any error or warning.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v yamllint >/dev/null || { echo "lint: yamllint not found (apt-get install yamllint)" >&2; exit 1; }
yamllint --strict -c "$here/yamllint.yml" "$here/release.yml"
echo "lint: $here/release.yml: OK ($(yamllint --version))"
