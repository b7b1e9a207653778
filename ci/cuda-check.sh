#!/usr/bin/env bash
# Usage: ci/cuda-check.sh [BUILD_DIR]     (default build/cuda-check)
# Long check, not in default CI: builds libgpt2 with ggml's CUDA backend (the `cuda` preset,
# sm_90 only to keep it short: ~18 min on 2 cores) and reports the wall time. Needs nvcc; no GPU.
# When the CUDA toolkit has no cuBLAS, the headers and libraries come from NVIDIA's pip wheel,
# unpacked into BUILD_DIR/cublas.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$root/build/cuda-check}"
command -v nvcc >/dev/null || { echo "cuda-check: nvcc not found" >&2; exit 1; }

GGML_SOURCE_DIR="$("$root/ci/fetch-ggml.sh" | tail -n 1)"
export GGML_SOURCE_DIR
extra=()

# cuBLAS headers reachable by nvcc? Else take them (and the libraries) from the pip wheel.
if ! echo '#include <cublas_v2.h>' | nvcc -x cu -E - -o /dev/null 2>/dev/null; then
    cublas="$build_dir/cublas"
    if [[ ! -d "$cublas/nvidia" ]]; then
        cuda_major="$(nvcc --version | sed -n 's/.*release \([0-9]*\)\..*/\1/p')"
        wheel_pkg=nvidia-cublas                                  # CUDA 13+
        (( cuda_major < 13 )) && wheel_pkg="nvidia-cublas-cu$cuda_major"
        echo "cuda-check: no cuBLAS in the CUDA toolkit; fetching pip wheel $wheel_pkg" >&2
        tmp="$(mktemp -d)"
        trap 'rm -rf "$tmp"' EXIT
        python3 -m pip download -q --no-deps -d "$tmp" "$wheel_pkg"
        mkdir -p "$cublas"
        unzip -q -o "$tmp"/*.whl 'nvidia/*/include/*' 'nvidia/*/lib/*' -d "$cublas"
    fi
    inc="$(echo "$cublas"/nvidia/cu*/include)"
    lib="$(echo "$cublas"/nvidia/cu*/lib)"
    extra+=(-DCMAKE_CUDA_FLAGS="-I$inc" -DCMAKE_CXX_FLAGS="-I$inc"
            -DCUDA_cublas_LIBRARY="$(ls "$lib"/libcublas.so.*)"
            -DCUDA_cublasLt_LIBRARY="$(ls "$lib"/libcublasLt.so.*)")
fi

start=$SECONDS
cmake --preset cuda -S "$root" -B "$build_dir" -DCMAKE_CUDA_ARCHITECTURES=90 "${extra[@]}"
jobs="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
cmake --build "$build_dir" --parallel "$jobs" --target ggml-cuda
echo "cuda-check: ggml-cuda built after $(( SECONDS - start )) s"
cmake --build "$build_dir" --parallel "$jobs" --target gpt2
echo "cuda-check: libgpt2 with CUDA built in $(( SECONDS - start )) s: $build_dir/libgpt2.so"
