#!/usr/bin/env bash
# Usage: ci/checks/release-check.sh [PLATFORM...]     (default: linux-x86_64; the CUDA jar:
#                                                     ci/checks/cuda.sh release)
# Long check, not in the default build: this machine's release artifacts, as the release workflow
# (ci/release/release.yml) makes them, tested here.
#  1. ci/release/build-platform.sh linux-x86_64: libgpt2 with the release preset (GGML_NATIVE=OFF,
#     ggml's CPU backend once per instruction set, as modules beside libgpt2: ~6 min on 2 cores
#     alone), then ./ci/mvn install with every Java and native test against it (CpuVariantTest forces
#     the lowest CPU variant and holds its logits to HF's), installing the jars;
#  2. ci/checks/consumer-test.sh on the installed jars (main + linux-x86_64 only): extraction of libgpt2 and
#     its modules, generation, the CPU variant, no log line;
#  3. bin/gpt2 info on those jars: the CPU variant.
# linux-x86_64-cuda (what ci/checks/cuda.sh release asks for, after linux-x86_64): the same with the
# preset release-cuda (CUDA_ARCHITECTURES=90 unless set, the workflow builds 75;80;86;89;90), which
# needs nvcc (cuBLAS from NVIDIA's pip wheel if the toolkit lacks it): 20-40 min on 2 cores. Without a GPU, its consumer run must generate on the
# CPU with exactly one log line saying so.
# Afterwards core/target holds the release build; the next ./ci/mvn verify rebuilds the default one.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
platforms=("$@")
(( $# )) || platforms=(linux-x86_64)
for p in "${platforms[@]}"; do
    case "$p" in
        linux-x86_64|linux-x86_64-cuda) ;;
        *) echo "usage: $0 [linux-x86_64 | linux-x86_64-cuda ...]   (the CUDA jar: ci/checks/cuda.sh release)" >&2; exit 2 ;;
    esac
done
out="$root/build/release-natives"

preset_of() { [[ "$1" == *-cuda ]] && echo release-cuda || echo release; }

check() {   # PLATFORM
    local platform="$1" start=$SECONDS
    bash ci/release/build-platform.sh "$platform" "$out"
    echo "release-check: $platform built and tested in $(( SECONDS - start )) s"
    # installed again (no tests, nothing rebuilt) right before the consumer reads the local
    # repository, which other builds on this machine may be writing to as well; the same CMake
    # arguments as the build (else the preset's CUDA architectures would rebuild the CUDA module)
    local cmake_args=""
    if [[ "$platform" == *-cuda ]]; then
        cmake_args="$(ci/cuda-cmake-args.sh "$root/build/release-$platform" | tr '\n' ' ')"
        [[ -n "${CUDA_ARCHITECTURES:-}" ]] && cmake_args+=" -DCMAKE_CUDA_ARCHITECTURES=$CUDA_ARCHITECTURES"
    fi
    GPT2_CMAKE_ARGS="$cmake_args" GPT2_CMAKE_PRESET="$(preset_of "$platform")" GPT2_NATIVE_PLATFORM="$platform" \
        CONSUMER_PLATFORM="$platform" \
        CONSUMER_INSTALL_ARGS="-Dgpt2.native.build.dir=$root/build/release-$platform -Dgpt2.native.classifier=$platform" \
        bash ci/checks/consumer-test.sh
    info="$(bin/gpt2 info -m fixtures/tiny-odd-heads/model-f32.gguf)"
    echo "$info" | grep -E '^(cpu variant|backends|libgpt2):'
    grep -Eq '^cpu variant: +[a-z0-9_.]+$' <<< "$info" || { echo "release-check: gpt2 info names no CPU variant" >&2; exit 1; }
    grep -Eq "^libgpt2: +.*/$platform/lib[^/]*gpt2[^/]* \(extracted from .*-$platform\.jar!" <<< "$info" \
        || { echo "release-check: gpt2 info did not run on the $platform jar" >&2; exit 1; }
}

for p in "${platforms[@]}"; do
    if [[ "$p" == *-cuda ]]; then
        CUDA_ARCHITECTURES="${CUDA_ARCHITECTURES:-90}" check "$p"
    else
        check "$p"
    fi
done
echo "release-check: OK (natives in $out)"
