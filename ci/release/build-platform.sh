#!/usr/bin/env bash
# Usage: ci/release/build-platform.sh PLATFORM OUT_DIR
# One job of the release workflow (ci/release/release.yml), runnable by hand on a machine of that
# platform (no cross builds): builds libgpt2 for PLATFORM with its release preset, runs the tests
# that can run there, and leaves the classifier jar's content in
# OUT_DIR/PLATFORM/META-INF/native/PLATFORM/ for ci/release/assemble-jars.sh.
#
#   PLATFORM            preset          what is in the folder
#   linux-x86_64        release         libgpt2, libgpt2-ggml*, 14 CPU variant modules (x64 .. zen4)
#   linux-aarch64       release         libgpt2, libgpt2-ggml*, the armv8.x/armv9.x CPU variant modules
#   windows-x86_64      release         libgpt2.dll, libgpt2-ggml*.dll, the CPU variant modules (MSVC)
#   macos-aarch64       release-metal   libgpt2.dylib with ggml and Metal (shaders embedded) inside
#   linux-x86_64-cuda   release-cuda    linux-x86_64's files + libggml-cuda.so (needs the CUDA runtime
#                                       and cuBLAS at run time; without them or a GPU: the CPU)
#
# On macOS this is the only check of macos-aarch64 (nothing cross-builds it): the native tests on
# ggml's CPU backend and the Java tests (Backend.AUTO: Metal where the machine offers a GPU) against
# release-metal's libgpt2.dylib. linux-aarch64 and windows-x86_64 are also cross-built and run
# under qemu and wine by ci/checks/platform-aarch64.sh and platform-windows.sh.
#
# Env:
#   RELEASE_TESTS       all (default): ./ci/mvn install with every Java and native test against the
#                       release library, installing the jars into the local Maven repository;
#                       native: the native tests (ctest) only; none: build only
#   RELEASE_MVN_ARGS    extra Maven arguments for RELEASE_TESTS=all, split on spaces
#   CUDA_ARCHITECTURES  linux-x86_64-cuda: the GPU architectures (default: the preset's
#                       75;80;86;89;90); e.g. 90 for a quicker check build
#   GGML_SOURCE_DIR     own llama.cpp checkout (else the pinned one)
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 PLATFORM OUT_DIR" >&2; exit 2; }
platform="$1"
out_dir="$(mkdir -p "$2" && cd "$2" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tests="${RELEASE_TESTS:-all}"
cd "$root"

case "$platform" in
    linux-x86_64|linux-aarch64|windows-x86_64) preset=release ;;
    macos-aarch64) preset=release-metal ;;
    linux-x86_64-cuda) preset=release-cuda ;;
    *) echo "build-platform: unknown platform $platform" >&2; exit 2 ;;
esac
host="$("$root/ci/host-platform.sh")"
[[ "$platform" == "$host" || "$platform" == "$host"-* ]] \
    || { echo "build-platform: $platform is built on $platform, this machine is $host" >&2; exit 1; }

build_dir="$root/build/release-$platform"
export GPT2_CMAKE_PRESET="$preset" GPT2_NATIVE_PLATFORM="$platform"
# extra CMake arguments, split on spaces by ci/build-native.sh
GPT2_CMAKE_ARGS=""
if [[ "$preset" == release-cuda ]]; then
    GPT2_CMAKE_ARGS="$("$root/ci/cuda-cmake-args.sh" "$build_dir" | tr '\n' ' ')"
    [[ -n "${CUDA_ARCHITECTURES:-}" ]] && GPT2_CMAKE_ARGS+=" -DCMAKE_CUDA_ARCHITECTURES=$CUDA_ARCHITECTURES"
fi
export GPT2_CMAKE_ARGS

start=$SECONDS
case "$tests" in
    all)
        # shellcheck disable=SC2086 # RELEASE_MVN_ARGS is a list of arguments
        ./ci/mvn -B install -Dgpt2.native.build.dir="$build_dir" -Dgpt2.native.classifier="$platform" \
            ${RELEASE_MVN_ARGS:-}
        staged="$root/core/target/classes"
        ;;
    native|none)
        staged="$build_dir/resources"
        ci/build-native.sh "$build_dir" "$staged"
        [[ "$tests" == native ]] && ci/test-native.sh "$build_dir"
        ;;
    *) echo "build-platform: RELEASE_TESTS=$tests is not all, native or none" >&2; exit 2 ;;
esac

dest="$out_dir/$platform/META-INF/native/$platform"
rm -rf "$dest"
mkdir -p "$dest"
cp -p "$staged/META-INF/native/$platform/"* "$dest/"
echo "build-platform: $platform ($preset, tests: $tests) in $(( SECONDS - start )) s -> $dest:"
ls -l "$dest"
