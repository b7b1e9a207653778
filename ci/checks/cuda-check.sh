#!/usr/bin/env bash
# Usage: ci/checks/cuda-check.sh [BUILD_DIR]     (default build/cuda-check)
# Long check, not in default CI: builds libgpt2 with ggml's CUDA backend (the `cuda` preset,
# sm_90 only to keep it short: ~18 min on 2 cores) and reports the wall time. Needs nvcc; no GPU.
# When the CUDA toolkit has no cuBLAS, the headers and libraries come from NVIDIA's pip wheel,
# unpacked into BUILD_DIR/cublas.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${1:-$root/build/cuda-check}"
command -v nvcc >/dev/null || { echo "cuda-check: nvcc not found" >&2; exit 1; }

GGML_SOURCE_DIR="$("$root/ci/fetch-ggml.sh" | tail -n 1)"
export GGML_SOURCE_DIR
# cuBLAS from the toolkit, else from NVIDIA's pip wheel (unpacked into BUILD_DIR/cublas)
mapfile -t extra < <("$root/ci/cuda-cmake-args.sh" "$build_dir")

start=$SECONDS
cmake --preset cuda -S "$root" -B "$build_dir" -DCMAKE_CUDA_ARCHITECTURES=90 ${extra[@]+"${extra[@]}"}
jobs="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
cmake --build "$build_dir" --parallel "$jobs" --target ggml-cuda
echo "cuda-check: ggml-cuda built after $(( SECONDS - start )) s"
cmake --build "$build_dir" --parallel "$jobs" --target gpt2
echo "cuda-check: libgpt2 with CUDA built in $(( SECONDS - start )) s: $build_dir/libgpt2.so"
