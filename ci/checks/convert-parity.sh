#!/usr/bin/env bash
# Long check (not in the default build): `gpt2 convert` on a random model of GPT-2 124M's shape
# (12 layers, 768 wide, 1024 positions, the full 50,257-token tokenizer, which llama.cpp's converter
# recognises by its own hash), against llama.cpp's convert_hf_to_gguf.py on the same folder.
# Makes the folder and llama.cpp's f32/f16/q8_0 files with fixtures/make_hf_fixtures.py --large
# (python3 with torch, transformers, safetensors, numpy; ~1.4 GB in OUTDIR), converts it with
# bin/gpt2 (build it first: ./ci/mvn -B -DskipTests package), and compares the files byte for
# byte, timing each conversion.
#
#   ci/checks/convert-parity.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-build/parity-large}
[[ -x bin/gpt2 ]] || { echo "convert-parity: no bin/gpt2" >&2; exit 1; }
[[ -f "$out/model-f32.gguf" && -f "$out/hf/config.json" ]] || python3 fixtures/make_hf_fixtures.py --large "$out"

status=0
for t in f32 f16 q8_0; do
    ours="$out/ours-$t.gguf"
    start=$(date +%s.%N)
    bin/gpt2 convert "$out/hf" -o "$ours" --type "$t" --progress never
    end=$(date +%s.%N)
    if cmp -s "$ours" "$out/model-$t.gguf"; then
        verdict="byte-identical to llama.cpp's"
    else
        verdict="DIFFERS from llama.cpp's ($(cmp "$ours" "$out/model-$t.gguf" 2>&1 | head -n 1))"
        status=1
    fi
    printf 'convert-parity: %-5s %6.1f s, %s bytes, %s\n' "$t" "$(echo "$end - $start" | bc)" \
        "$(stat -c %s "$ours")" "$verdict"
done
exit $status
