#!/usr/bin/env bash
# Long check for a machine with an NVIDIA GPU and a CUDA toolkit (not part of the default CI):
# builds libgpt2 and the native tests with CUDA, then runs the parity and session tests on the
# GPU (GPT2_TEST_BACKEND=cuda) and on the CPU of the same build.
#
#   GGML_SOURCE_DIR=<llama.cpp tree> CUDA_ARCH=90 ci/checks/gpu-check.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/gpu-check}
src=${GGML_SOURCE_DIR:-$(bash ci/fetch-ggml.sh | tail -n 1)}
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
nvcc --version | tail -n 1
start=$(date +%s)
cmake -S . -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DGPT2_GGML_SOURCE_DIR="$src" \
    -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="${CUDA_ARCH:-90}" -DGGML_CUDA_FA=OFF -DGGML_CUDA_NCCL=OFF \
    > "$build.configure.log" 2>&1 || { tail -n 30 "$build.configure.log"; exit 1; }
cmake --build "$build" -j "$(nproc)" --target gpt2 test_parity test_session > "$build.build.log" 2>&1 \
    || { grep -E "error|Error" "$build.build.log" | head -n 30; exit 1; }
echo "CUDA build: $(( $(date +%s) - start )) s on $(nproc) cores"

export GPT2_FIXTURES_DIR=$PWD/fixtures GPT2_TEST_TMPDIR=$PWD/$build/test-tmp
mkdir -p "$GPT2_TEST_TMPDIR"
status=0
echo "== CUDA, cuBLAS in TF32 (ggml's default)"
GPT2_TEST_BACKEND=cuda "$build/tests/test_parity" || status=1
echo "== CUDA, full F32 (NVIDIA_TF32_OVERRIDE=0)"
NVIDIA_TF32_OVERRIDE=0 GPT2_TEST_BACKEND=cuda "$build/tests/test_parity" || status=1
NVIDIA_TF32_OVERRIDE=0 "$build/tests/test_session" || status=1
echo "== CPU"
GPT2_TEST_BACKEND=cpu "$build/tests/test_parity" || status=1
exit $status
