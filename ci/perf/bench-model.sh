#!/usr/bin/env bash
# Prints the path of the benchmarks' model of GPT-2 124M's shape in weight type TYPE (random weights,
# seed 1: 12 layers, 12 heads, n_embd 768, 1024 positions, 50,257 tokens, output tied to the token
# embeddings), written once by gpt2-make-model into the cache folder's bench-models/.
#
#   ci/perf/bench-model.sh f16|q8_0|...
#
# Needs the native build (core/target/native/bin/gpt2-make-model: ./ci/mvn -B -DskipTests package).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ty="${1:?usage: bench-model.sh TYPE}"
make_model="$root/core/target/native/bin/gpt2-make-model"
models="${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}/bench-models"
m="$models/gpt2-124m-shape-seed1-$ty.gguf"
if [[ ! -f "$m" ]]; then
    [[ -x "$make_model" ]] || { echo "bench-model: no $make_model: build first (./ci/mvn -B -DskipTests package)" >&2; exit 1; }
    mkdir -p "$models"
    "$make_model" --out "$m.tmp" --vocab 50257 --ctx 1024 --embd 768 --head 12 --layer 12 \
        --type "$ty" --seed 1 --scale 0.02 >&2
    mv "$m.tmp" "$m"
fi
echo "$m"
