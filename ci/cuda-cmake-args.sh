#!/usr/bin/env bash
# Usage: ci/cuda-cmake-args.sh WORK_DIR
# Prints, one a line, the extra CMake arguments a CUDA build of libgpt2 needs on this machine:
# none when nvcc finds cuBLAS in its toolkit; else cuBLAS's headers and libraries from NVIDIA's
# pip wheel (nvidia-cublas for CUDA 13+, nvidia-cublas-cuNN before), unpacked once into
# WORK_DIR/cublas. Used by ci/checks/cuda.sh, ci/checks/release-check.sh and
# ci/release/build-platform.sh (the release workflow's CUDA job).
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 WORK_DIR" >&2; exit 2; }
mkdir -p "$1"
work="$(cd "$1" && pwd)"
command -v nvcc >/dev/null || { echo "cuda-cmake-args: nvcc not found" >&2; exit 1; }

if echo '#include <cublas_v2.h>' | nvcc -x cu -E - -o /dev/null 2>/dev/null; then
    exit 0
fi
cublas="$work/cublas"
if [[ ! -d "$cublas/nvidia" ]]; then
    cuda_major="$(nvcc --version | sed -n 's/.*release \([0-9]*\)\..*/\1/p')"
    wheel_pkg=nvidia-cublas                                       # CUDA 13+
    (( cuda_major < 13 )) && wheel_pkg="nvidia-cublas-cu$cuda_major"
    echo "cuda-cmake-args: no cuBLAS in the CUDA toolkit; taking pip wheel $wheel_pkg" >&2
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    python3 -m pip download -q --no-deps -d "$tmp" "$wheel_pkg" >&2
    mkdir -p "$cublas"
    unzip -q -o "$tmp"/*.whl 'nvidia/*/include/*' 'nvidia/*/lib/*' -d "$cublas"
fi
inc="$(echo "$cublas"/nvidia/cu*/include)"
lib="$(echo "$cublas"/nvidia/cu*/lib)"
# ggml-cuda's sources are all .cu: the CUDA flags are enough for the headers
echo "-DCMAKE_CUDA_FLAGS=-I$inc"
echo "-DCUDA_cublas_LIBRARY=$(ls "$lib"/libcublas.so.*)"
echo "-DCUDA_cublasLt_LIBRARY=$(ls "$lib"/libcublasLt.so.*)"
