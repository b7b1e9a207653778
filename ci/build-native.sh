#!/usr/bin/env bash
# Usage: ci/build-native.sh BUILD_DIR RESOURCE_DIR
# Builds libgpt2 (with ggml inside), its tools and tests in BUILD_DIR (CMake + Ninja, Release;
# incremental when re-run), then copies the library to
# RESOURCE_DIR/META-INF/native/<os>-<arch>/, where the Java loader looks for it, with index.txt:
# the files the loader extracts from there, one a line, dependencies first, the library last
# (today the library alone: ggml is linked into it).
# Env: GGML_SOURCE_DIR (own llama.cpp checkout), GPT2_CMAKE_ARGS (extra CMake arguments,
# split on spaces, e.g. "-DGGML_NATIVE=OFF").
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 BUILD_DIR RESOURCE_DIR" >&2; exit 2; }
build_dir="$1"
resource_dir="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

case "$(uname -s)" in
    Linux)                os=linux   lib=libgpt2.so ;;
    Darwin)               os=macos   lib=libgpt2.dylib ;;
    MINGW*|MSYS*|CYGWIN*) os=windows lib=gpt2.dll ;;
    *) echo "build-native: unsupported OS $(uname -s)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
    x86_64|amd64)  arch=x86_64 ;;
    aarch64|arm64) arch=aarch64 ;;
    *) echo "build-native: unsupported CPU $(uname -m)" >&2; exit 1 ;;
esac
jobs="$(getconf _NPROCESSORS_ONLN 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)"

ggml_src="$("$root/ci/fetch-ggml.sh" | tail -n 1)"

# shellcheck disable=SC2086 # GPT2_CMAKE_ARGS is a list of arguments
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DGPT2_GGML_SOURCE_DIR="$ggml_src" ${GPT2_CMAKE_ARGS:-}
cmake --build "$build_dir" --parallel "$jobs"

built="$build_dir/$lib"
[[ -f "$built" ]] || built="$build_dir/lib$lib"        # MinGW names it libgpt2.dll
dest="$resource_dir/META-INF/native/$os-$arch"
mkdir -p "$dest"
# copy only when changed, so that an unchanged library does not re-trigger packaging
cmp -s "$built" "$dest/$(basename "$built")" || cp "$built" "$dest/"
index="# gpt2-java: files to extract for $os-$arch, in load order (dependencies first)
$(basename "$built")"
[[ -f "$dest/index.txt" && "$(cat "$dest/index.txt")" == "$index" ]] || printf '%s\n' "$index" > "$dest/index.txt"
echo "build-native: $dest/$(basename "$built")"
