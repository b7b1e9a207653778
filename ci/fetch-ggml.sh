#!/usr/bin/env bash
# Prints the path of a llama.cpp source tree (it contains ggml/) on its last stdout line.
#
# - GGML_SOURCE_DIR set: use that checkout (validated), fetch nothing.
# - Otherwise: the pinned llama.cpp commit, fetched once into the project's cache folder,
#   ${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}/llama.cpp-<commit>, from the git
#   bundle that the npm package node-llama-cpp ships (llama/gitRelease.bundle).
set -euo pipefail

NLC_VERSION=3.21.1
LLAMA_COMMIT=80fb11ac73e66d89eae2c6a91d8a77428fa733ed

die() { echo "fetch-ggml: $*" >&2; exit 1; }

if [[ -n "${GGML_SOURCE_DIR:-}" ]]; then
    [[ -f "$GGML_SOURCE_DIR/ggml/CMakeLists.txt" ]] \
        || die "GGML_SOURCE_DIR=$GGML_SOURCE_DIR has no ggml/CMakeLists.txt (want a llama.cpp checkout)"
    (cd "$GGML_SOURCE_DIR" && pwd)
    exit 0
fi

cache_root="${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}"   # the project's cache folder (docs/BUILDING.md)
dest="$cache_root/llama.cpp-$LLAMA_COMMIT"
if [[ -f "$dest/ggml/CMakeLists.txt" ]]; then
    echo "$dest"
    exit 0
fi

for tool in npm git tar; do
    command -v "$tool" >/dev/null || die "'$tool' is needed to fetch ggml once (or set GGML_SOURCE_DIR)"
done
mkdir -p "$cache_root"

# One fetch at a time: a second build waits here, then finds the tree in place.
# (macOS has no flock: there two first builds at once may both download; the rename below
# still leaves one complete tree.)
if command -v flock >/dev/null; then
    exec 9>"$cache_root/.fetch.lock"
    flock 9
fi
if [[ -f "$dest/ggml/CMakeLists.txt" ]]; then
    echo "$dest"
    exit 0
fi

# The temp dir lives in the cache folder so that the final rename stays on one file system.
work="$(mktemp -d "$cache_root/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "fetch-ggml: fetching llama.cpp $LLAMA_COMMIT via npm node-llama-cpp@$NLC_VERSION (once)" >&2
(
    cd "$work"
    tarball="$(npm pack "node-llama-cpp@$NLC_VERSION" --silent | tail -n 1)"
    [[ -f "$tarball" ]] || die "npm pack node-llama-cpp@$NLC_VERSION produced no tarball"
    tar -xzf "$tarball" package/llama/gitRelease.bundle
    git -c advice.detachedHead=false clone -q package/llama/gitRelease.bundle llama.cpp
) >&2

head="$(git -C "$work/llama.cpp" rev-parse HEAD)"
[[ "$head" == "$LLAMA_COMMIT" ]] \
    || die "node-llama-cpp@$NLC_VERSION bundle is at $head, expected $LLAMA_COMMIT"
[[ -f "$work/llama.cpp/ggml/CMakeLists.txt" ]] || die "fetched tree has no ggml/CMakeLists.txt"

if [[ -e "$dest" && ! -f "$dest/ggml/CMakeLists.txt" ]]; then
    rm -rf "$dest"                          # an incomplete tree, left by hand
fi
[[ -e "$dest" ]] || mv "$work/llama.cpp" "$dest"
echo "$dest"
