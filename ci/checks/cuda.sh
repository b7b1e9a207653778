#!/usr/bin/env bash
# The CUDA checks, one script (not part of the default build or CI):
#
#   ci/checks/cuda.sh build [BUILD_DIR]   no GPU needed, nvcc is: builds libgpt2 with ggml's CUDA
#                                         backend (the `cuda` preset) and reports the wall time,
#                                         ~18 min on 2 cores alone (default BUILD_DIR build/cuda-check)
#   ci/checks/cuda.sh test [BUILD_DIR]    on a machine with an NVIDIA GPU and the CUDA toolkit: builds
#                                         libgpt2 and the native tests with CUDA (118 s on 16 cores),
#                                         then runs the parity and session tests on the GPU (cuBLAS in
#                                         TF32, then full F32) and on the CPU of the same build
#                                         (default BUILD_DIR build/gpu-check)
#   ci/checks/cuda.sh release             the release jars linux-x86_64 and linux-x86_64-cuda as the
#                                         release workflow makes them (ci/release/build-platform.sh),
#                                         tested here and from a consumer's side: ci/checks/release-check.sh
#                                         linux-x86_64 linux-x86_64-cuda. Without a GPU the CUDA jar must
#                                         generate on the CPU with exactly one log line saying so.
#
# Env:
#   CUDA_ARCHITECTURES  the GPU architectures to build (default 90, sm_90 only, to keep it short; the
#                       release workflow builds 75;80;86;89;90). CUDA_ARCH is read too (older name).
#   GGML_SOURCE_DIR     own llama.cpp checkout (else the pinned one, ci/fetch-ggml.sh)
# When the CUDA toolkit has no cuBLAS, its headers and libraries come from NVIDIA's pip wheel
# (ci/cuda-cmake-args.sh, the same helper the release build uses), unpacked into BUILD_DIR/cublas.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
usage() { echo "usage: $0 build [BUILD_DIR] | test [BUILD_DIR] | release" >&2; exit 2; }
(( $# >= 1 )) || usage
mode="$1"
shift
arch="${CUDA_ARCHITECTURES:-${CUDA_ARCH:-90}}"
jobs="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"

# GGML_SOURCE_DIR, nvcc, and the extra CMake arguments for cuBLAS into $extra
prepare() {   # BUILD_DIR
    command -v nvcc >/dev/null || { echo "cuda: nvcc not found" >&2; exit 1; }
    GGML_SOURCE_DIR="${GGML_SOURCE_DIR:-$(ci/fetch-ggml.sh | tail -n 1)}"
    export GGML_SOURCE_DIR
    mapfile -t extra < <(ci/cuda-cmake-args.sh "$1")
}

# libgpt2 with the `cuda` preset, ggml-cuda first: how long the CUDA module takes alone
build() {   # [BUILD_DIR]
    (( $# <= 1 )) || usage
    local build_dir="${1:-$root/build/cuda-check}"
    prepare "$build_dir"
    local start=$SECONDS
    cmake --preset cuda -S "$root" -B "$build_dir" -DCMAKE_CUDA_ARCHITECTURES="$arch" ${extra[@]+"${extra[@]}"}
    cmake --build "$build_dir" --parallel "$jobs" --target ggml-cuda
    echo "cuda: ggml-cuda built after $(( SECONDS - start )) s"
    cmake --build "$build_dir" --parallel "$jobs" --target gpt2
    echo "cuda: libgpt2 with CUDA built in $(( SECONDS - start )) s: $build_dir/libgpt2.so"
}

# the parity and session tests on the GPU, then the parity test on the CPU, of one CUDA build
test_on_gpu() {   # [BUILD_DIR]
    (( $# <= 1 )) || usage
    local build="${1:-build/gpu-check}"
    mkdir -p "$build"
    build="$(cd "$build" && pwd)"
    prepare "$build"
    local gen=()
    command -v ninja >/dev/null && gen=(-G Ninja)
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
    nvcc --version | tail -n 1
    local start
    start=$(date +%s)
    cmake -S . -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DGPT2_GGML_SOURCE_DIR="$GGML_SOURCE_DIR" \
        -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$arch" -DGGML_CUDA_FA=OFF -DGGML_CUDA_NCCL=OFF \
        ${extra[@]+"${extra[@]}"} > "$build.configure.log" 2>&1 || { tail -n 30 "$build.configure.log"; exit 1; }
    cmake --build "$build" -j "$jobs" --target gpt2 test_parity test_session > "$build.build.log" 2>&1 \
        || { grep -E "error|Error" "$build.build.log" | head -n 30; exit 1; }
    echo "CUDA build: $(( $(date +%s) - start )) s on $jobs cores"

    export GPT2_FIXTURES_DIR=$root/fixtures GPT2_TEST_TMPDIR=$build/test-tmp
    mkdir -p "$GPT2_TEST_TMPDIR"
    local status=0
    echo "== CUDA, cuBLAS in TF32 (ggml's default)"
    GPT2_TEST_BACKEND=cuda "$build/tests/test_parity" || status=1
    echo "== CUDA, full F32 (NVIDIA_TF32_OVERRIDE=0)"
    NVIDIA_TF32_OVERRIDE=0 GPT2_TEST_BACKEND=cuda "$build/tests/test_parity" || status=1
    NVIDIA_TF32_OVERRIDE=0 "$build/tests/test_session" || status=1
    echo "== CPU"
    GPT2_TEST_BACKEND=cpu "$build/tests/test_parity" || status=1
    return $status
}

case "$mode" in
    build) build "$@" ;;
    test) test_on_gpu "$@" ;;
    release)
        (( $# == 0 )) || usage
        CUDA_ARCHITECTURES="$arch" exec bash ci/checks/release-check.sh linux-x86_64 linux-x86_64-cuda
        ;;
    *) usage ;;
esac
