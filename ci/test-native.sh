#!/usr/bin/env bash
# Usage: ci/test-native.sh BUILD_DIR
# Runs the native tests (native/tests) built by ci/build-native.sh in BUILD_DIR.
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
exec ctest --test-dir "$1" --output-on-failure
