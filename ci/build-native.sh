#!/usr/bin/env bash
# Usage: ci/build-native.sh BUILD_DIR RESOURCE_DIR
# Builds libgpt2 (with ggml), its tools and tests in BUILD_DIR (CMake + Ninja, Release; incremental
# when re-run), then copies the native files to RESOURCE_DIR/META-INF/native/<platform>/, where the
# Java loader looks for them, with index.txt: the files the loader extracts from there, one a line,
# those it loads in order (dependencies first, the library last), then "backend <file>" for each
# ggml backend module (release presets), which libgpt2 loads itself. Files of an earlier build that
# are no longer listed are removed, and so are the folders of this OS and CPU's other builds.
# Env:
#   GGML_SOURCE_DIR     own llama.cpp checkout (else the pinned one, ci/fetch-ggml.sh)
#   GPT2_CMAKE_PRESET   configure with this preset of CMakePresets.json (e.g. release, release-cuda);
#                       default: none (GGML_NATIVE=ON, ggml linked into libgpt2)
#   GPT2_CMAKE_ARGS     extra CMake arguments, split on spaces (e.g. "-DGGML_NATIVE=OFF")
#   GPT2_NATIVE_PLATFORM  the folder name; default <os>-<arch>, <os>-<arch>-cuda for a *-cuda preset
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 BUILD_DIR RESOURCE_DIR" >&2; exit 2; }
build_dir="$1"
resource_dir="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

host="$("$root/ci/host-platform.sh")"
preset="${GPT2_CMAKE_PRESET:-}"
platform="$host"
[[ "$preset" == *-cuda ]] && platform="$host-cuda"
platform="${GPT2_NATIVE_PLATFORM:-$platform}"
jobs="$(getconf _NPROCESSORS_ONLN 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)"

GGML_SOURCE_DIR="${GGML_SOURCE_DIR:-$("$root/ci/fetch-ggml.sh" | tail -n 1)}"
export GGML_SOURCE_DIR   # the presets read it

configure=(-S "$root" -B "$build_dir" -DGPT2_GGML_SOURCE_DIR="$GGML_SOURCE_DIR")
if [[ -n "$preset" ]]; then
    configure=(--preset "$preset" "${configure[@]}")
else
    configure+=(-G Ninja -DCMAKE_BUILD_TYPE=Release)
fi
# shellcheck disable=SC2086 # GPT2_CMAKE_ARGS is a list of arguments
cmake "${configure[@]}" ${GPT2_CMAKE_ARGS:-}
cmake --build "$build_dir" --parallel "$jobs"

list="$build_dir/native-files.txt"
[[ -f "$list" ]] || { echo "build-native: $list is missing (CMake did not write it)" >&2; exit 1; }
dest="$resource_dir/META-INF/native/$platform"
# one build, one platform folder: another build's (linux-x86_64-cuda after linux-x86_64, or back)
# would otherwise be found by the loader first, or packed into the jar
for other in "$resource_dir/META-INF/native/$host" "$resource_dir/META-INF/native/$host"-*; do
    [[ -d "$other" && "$other" != "$dest" ]] && { echo "build-native: removing $other (another build's)"; rm -rf "$other"; }
done
mkdir -p "$dest"
names=()
while IFS= read -r line; do
    [[ -n "$line" ]] || continue
    name="${line#backend }"
    src="$build_dir/$name"
    [[ -f "$src" ]] || { echo "build-native: $src (listed in $list) is missing" >&2; exit 1; }
    # copy only when changed, so that an unchanged library does not re-trigger packaging
    cmp -s "$src" "$dest/$name" || cp "$src" "$dest/$name"
    names+=("$name")
done < "$list"
for f in "$dest"/*; do
    n="$(basename "$f")"
    [[ "$n" == index.txt ]] && continue
    printf '%s\n' "${names[@]}" | grep -qxF "$n" || { echo "build-native: removing stale $f"; rm -f "$f"; }
done
index="# gpt2-java: the native files of $platform. The JVM loads the plain names in this order
# (dependencies first, the library last); \"backend\" names a ggml backend module, extracted beside
# the library, which loads the ones this machine runs itself.
$(cat "$list")"
[[ -f "$dest/index.txt" && "$(cat "$dest/index.txt")" == "$index" ]] || printf '%s\n' "$index" > "$dest/index.txt"
echo "build-native: $dest: ${names[*]}"
