#!/usr/bin/env bash
# Prints the path of a llama.cpp program (llama-bench, llama-server, ...) built from the pinned
# llama.cpp tree (ci/fetch-ggml.sh, or $LLAMA_CPP_DIR at the same commit) on its last stdout line.
#
#   ci/perf/llama-tool.sh llama-server
#
# Built once, at low priority (nice: the cores may be shared), into the project's cache folder
# (${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}, docs/BUILDING.md) as
# llama-tools-<commit>-<key> (or $GPT2_LLAMA_BUILD_DIR), one build folder for every tool: later
# tools reuse its libraries. CPU only, GGML_NATIVE=ON, static, no OpenSSL or curl (offline).
set -euo pipefail

LLAMA_COMMIT=80fb11ac73e66d89eae2c6a91d8a77428fa733ed
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
die() { echo "llama-tool: $*" >&2; exit 1; }

target="${1:?usage: llama-tool.sh TARGET (llama-bench, llama-server, ...)}"
tree="${LLAMA_CPP_DIR:-$("$root/ci/fetch-ggml.sh" | tail -n 1)}"
head="$(git -C "$tree" rev-parse HEAD 2>/dev/null || true)"
[[ "$head" == "$LLAMA_COMMIT" ]] || die "llama.cpp tree $tree is at '${head:-unknown}', need $LLAMA_COMMIT"
cache="${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}"
key="$(printf '%s\n' "$(cd "$tree" && pwd)" | sha256sum | cut -c1-10)"
build="${GPT2_LLAMA_BUILD_DIR:-$cache/llama-tools-${LLAMA_COMMIT:0:12}-$key}"

if [[ ! -x "$build/bin/$target" ]]; then
    generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    if [[ ! -f "$build/CMakeCache.txt" ]]; then
        echo "llama-tool: configuring llama.cpp tools in $build (once)" >&2
        nice cmake -S "$tree" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
            -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
            -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF -DGGML_CCACHE=OFF \
            -DGGML_NATIVE=ON >&2
    fi
    echo "llama-tool: building $target (once; minutes on 2 cores)" >&2
    nice cmake --build "$build" --target "$target" -j "$(nproc 2>/dev/null || echo 2)" >&2
fi
[[ -x "$build/bin/$target" ]] || die "the build left no $build/bin/$target"
echo "$build/bin/$target"
