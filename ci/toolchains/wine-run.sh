#!/usr/bin/env bash
# Usage: ci/toolchains/wine-run.sh PROGRAM.exe [ARG...]
# Runs a Windows program under wine, quietly: CMAKE_CROSSCOMPILING_EMULATOR of
# x86_64-w64-mingw32.cmake, so what ctest starts. Exits with the program's status.
# Env:
#   WINE         the wine binary (default: wine64, else wine, on PATH or in /usr/lib/wine)
#   WINEPREFIX   wine's folder (default: a wine-prefix/ folder beside the program's own folder's
#                CMakeCache.txt, i.e. under the build dir; created on first use)
#   WINEDEBUG    default -all (no wine diagnostics on stderr)
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 PROGRAM.exe [ARG...]" >&2; exit 2; }

wine="${WINE:-}"
if [[ -z "$wine" ]]; then
    for w in wine64 wine /usr/lib/wine/wine64 /usr/lib/wine/wine; do
        if command -v "$w" >/dev/null 2>&1; then wine="$(command -v "$w")"; break; fi
    done
fi
[[ -n "$wine" ]] || { echo "wine-run: no wine found (Debian: apt-get install wine64)" >&2; exit 1; }

if [[ -z "${WINEPREFIX:-}" && -f "$1" ]]; then
    # the build dir: the first folder up from the program that holds a CMakeCache.txt
    dir="$(cd "$(dirname "$1")" && pwd)"
    while [[ "$dir" != / && ! -f "$dir/CMakeCache.txt" ]]; do dir="$(dirname "$dir")"; done
    [[ -f "$dir/CMakeCache.txt" ]] || dir="$(cd "$(dirname "$1")" && pwd)"
    export WINEPREFIX="$dir/wine-prefix"
fi
export WINEDEBUG="${WINEDEBUG:--all}"
[[ -z "${WINEPREFIX:-}" ]] || mkdir -p "$WINEPREFIX"
exec "$wine" "$@"
