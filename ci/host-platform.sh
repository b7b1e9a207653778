#!/usr/bin/env bash
# Prints this machine's platform as the native jars name it: <os>-<arch>, os one of linux, macos,
# windows and arch one of x86_64, aarch64 (e.g. linux-x86_64). Exits 1, saying why, on anything else.
# Used by ci/build-native.sh, ci/release/build-platform.sh and ci/checks/consumer-test.sh.
set -euo pipefail

case "$(uname -s)" in
    Linux)                os=linux ;;
    Darwin)               os=macos ;;
    MINGW*|MSYS*|CYGWIN*) os=windows ;;
    *) echo "host-platform: unsupported OS $(uname -s)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
    x86_64|amd64)  arch=x86_64 ;;
    aarch64|arm64) arch=aarch64 ;;
    *) echo "host-platform: unsupported CPU $(uname -m)" >&2; exit 1 ;;
esac
echo "$os-$arch"
