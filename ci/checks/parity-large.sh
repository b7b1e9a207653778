#!/usr/bin/env bash
# Long check (not in the default CI run): parity on a random model of GPT-2 124M's shape
# (12 layers, 12 heads, n_embd 768, 1024 positions, the full 50,257-token vocabulary), too big
# to commit (~900 MB of GGUF and logits). Makes it with Hugging Face transformers and llama.cpp's
# own converter (fixtures/make_hf_fixtures.py --large), adds llama.cpp's logits
# (fixtures/make_llama_fixtures.sh), then runs the native parity test on it with the committed
# fixtures. Needs python3 with torch, transformers, safetensors and numpy (pip install them from
# your package index); ~2 min to make, ~5 min more the first time the llama.cpp oracle builds.
#
#   ci/checks/parity-large.sh [OUTDIR] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-build/parity-large}
build=${2:-build/cpu}
python3 -c "import torch, transformers, safetensors, numpy" \
    || { echo "parity-large: needs python3 with torch, transformers, safetensors, numpy" >&2; exit 1; }

[[ -f "$out/model-f32.gguf" ]] || python3 fixtures/make_hf_fixtures.py --large "$out"
bash fixtures/make_llama_fixtures.sh "$out"

src=${GGML_SOURCE_DIR:-$(bash ci/fetch-ggml.sh | tail -n 1)}
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
cmake -S . -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DGPT2_GGML_SOURCE_DIR="$src" > /dev/null
cmake --build "$build" --target test_parity
GPT2_FIXTURES_DIR=$PWD/fixtures GPT2_PARITY_EXTRA_DIRS=$(cd "$out" && pwd) "$build/tests/test_parity"
