#!/usr/bin/env bash
# Usage: native/fuzz/make-corpus.sh [BUILD_DIR]     (default build/cpu; any build with the tools)
# Writes the committed seed corpora of the fuzz targets (ci/checks/fuzz.sh), byte for byte the same
# each time (gpt2-make-model is deterministic for a seed):
#   corpus/model_load: tiny GPT-2 GGUFs of 257 tokens (the least gpt2-make-model writes: 256 byte
#     tokens and <|endoftext|>), one per weight type and layout, then cut and damaged copies of the
#     first: the header alone, the metadata cut short, the tensor data cut short, and a few bytes
#     changed in the header: the version, the tensor count, the first key's length;
#   corpus/token_bytes: byte-to-unicode text (ASCII, "Ġ", the last code point of the table U+0143,
#     ones just outside it, invalid UTF-8, an overlong encoding);
#   corpus/adapter_load: LoRA adapters (gpt2-make-lora) for fuzz_adapter_load's model (exercise-adapter.h:
#     n_embd 32, 2 layers), of several ranks, matrices and blocks, with and without alpha; copies of the
#     first with the last tensor (B of block 1's ffn_down) in F16 and BF16 (they load), with an inf and a
#     NaN in B (they load: values are data); then near misses: cut short, a tensor of block 2, a lora_c,
#     B in I32, B's rank 2 (past the file's end), alpha NaN, and a model file.
# Builds gpt2-make-model and gpt2-make-lora in BUILD_DIR if they are not there (needs GGML_SOURCE_DIR
# or ci/fetch-ggml.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build/cpu}"
make_model="$build/bin/gpt2-make-model"
make_lora="$build/bin/gpt2-make-lora"
if [[ ! -x "$make_model" || ! -x "$make_lora" ]]; then
    src="${GGML_SOURCE_DIR:-$("$root/ci/fetch-ggml.sh" | tail -n 1)}"
    [[ -f "$build/CMakeCache.txt" ]] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DGPT2_GGML_SOURCE_DIR="$src" > /dev/null
    cmake --build "$build" --target gpt2-make-model gpt2-make-lora
fi

out="$here/corpus/model_load"
rm -rf "$out"
mkdir -p "$out"
# name, then gpt2-make-model's options; n_embd 32 is the least a quantized type's blocks allow, so
# one quantized model only (the corpus stays under 100 KB)
models=(
    "f32-tied     --embd 4  --head 1 --layer 1 --ctx 2 --type f32"
    "f32-untied   --embd 4  --head 2 --layer 2 --ctx 2 --type f32 --untied"
    "f16-tied     --embd 4  --head 2 --layer 1 --ctx 3 --type f16"
    "bf16-untied  --embd 4  --head 4 --layer 1 --ctx 2 --type bf16 --untied"
    "q4_0-tied    --embd 32 --head 2 --layer 1 --ctx 2 --type q4_0"
)
for m in "${models[@]}"; do
    read -r name opts <<< "$m"
    # shellcheck disable=SC2086 # opts is a list of options
    "$make_model" --out "$out/$name.gguf" --vocab 257 --seed 1 $opts > /dev/null
done

# cut and damaged copies of the first model
first="$out/f32-tied.gguf"
size="$(stat -c %s "$first")"
cut() { head -c "$2" "$first" > "$out/$1"; }
cut cut-header.gguf 24                    # magic, version, tensor and key counts
cut cut-metadata.gguf 600                 # inside the vocabulary
cut cut-data.gguf $(( size - 100 ))       # inside the last tensor's data
# poke NAME OFFSET BYTES...: a copy of the first model with BYTES (hex) at OFFSET;
# poke_in DIR FROM NAME OFFSET BYTES...: the same with a copy of FROM in DIR
poke_in() {
    local dir="$1" from="$2" name="$3" at="$4"; shift 4
    cp "$from" "$dir/$name"
    printf "$(printf '\\x%s' "$@")" | dd of="$dir/$name" bs=1 seek="$at" conv=notrunc status=none
}
poke() { local name="$1"; shift; poke_in "$out" "$first" "$name" "$@"; }
poke bad-version.gguf 4 09 00 00 00                      # GGUF version 9
poke many-tensors.gguf 8 ff ff ff ff ff ff ff 0f         # a tensor count far past the file
poke long-key.gguf 24 ff ff ff 7f 00 00 00 00            # the first key's length past the file

tb="$here/corpus/token_bytes"
rm -rf "$tb"
mkdir -p "$tb"
printf 'hello'              > "$tb/ascii"
printf '\xc4\xa0the'        > "$tb/space-the"          # "Ġthe": " the"
printf '\xc5\x83\xc4\x80'   > "$tb/table-ends"         # U+0143 and U+0100, the table's last and first
printf '\xc5\x84'           > "$tb/past-table"         # U+0144, just past the table
printf '\xc2\xad'           > "$tb/soft-hyphen"        # U+00AD, not in the table
printf ' '                  > "$tb/plain-space"        # U+0020, not in the table
printf '\xc1\x81'           > "$tb/overlong"           # 'A' in two bytes
printf '\xe2\x82\xac\xc4'   > "$tb/three-byte-and-cut" # a 3-byte code point, then a cut 2-byte one
printf '\xc3\xa9t\xc3\xa9'  > "$tb/latin1"             # "été"

ad="$here/corpus/adapter_load"
rm -rf "$ad"
mkdir -p "$ad"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# the shape of fuzz_adapter_load's model (exercise-adapter.h); an adapter depends on nothing else
"$make_model" --out "$tmp/model.gguf" --vocab 300 --ctx 8 --embd 32 --head 2 --layer 2 --type f32 --seed 1 > /dev/null
# name, then gpt2-make-lora's options (targets: 1 attn_qkv, 2 attn_output, 4 ffn_up, 8 ffn_down)
adapters=(
    "all-r1            --rank 1 --alpha 8 --seed 1"
    "qkv-r2-block0     --rank 2 --alpha 4 --targets 1 --layer 0 --seed 2"
    "ffn-r1-noalpha    --rank 1 --alpha 0 --targets 12 --layer 1 --seed 3"
    "out-r3            --rank 3 --alpha 1 --targets 2 --seed 4"
)
for a in "${adapters[@]}"; do
    read -r name opts <<< "$a"
    # shellcheck disable=SC2086 # opts is a list of options
    "$make_lora" --model "$tmp/model.gguf" --out "$ad/$name.gguf" $opts > /dev/null
done
# copies of all-r1: its last tensor, blk.1.ffn_down.weight.lora_b [1, 32], has its info at the name's
# offset + 28 (the name) + 4 (n_dims): ne0 (the rank) +32, ne1 +40, type +48; its data ends the file
lora="$ad/all-r1.gguf"
lsize="$(stat -c %s "$lora")"
at_of() { grep -obUaF -- "$1" "$lora" | awk -F: '{ print $1; exit }'; }   # (cut is this script's own)
last="$(at_of 'blk.1.ffn_down.weight.lora_b')"
alpha="$(at_of 'adapter.lora.alpha')"
# F16: the data shrinks, still inside; F32 bits read as F16 hold NaNs (ggml's assert() in a Debug build)
poke_in "$ad" "$lora" last-b-f16.gguf   $(( last + 48 )) 01 00 00 00
poke_in "$ad" "$lora" last-b-bf16.gguf  $(( last + 48 )) 1e 00 00 00      # BF16
poke_in "$ad" "$lora" inf-in-b.gguf     $(( lsize - 4 )) 00 00 80 7f      # +inf in B: loads, NaN/inf logits
poke_in "$ad" "$lora" nan-in-b.gguf     $(( lsize - 128 )) 00 00 c0 7f    # NaN in B's first value
head -c 24 "$lora" > "$ad/cut-header.gguf"
head -c $(( lsize - 64 )) "$lora" > "$ad/cut-data.gguf"                  # inside B's data
poke_in "$ad" "$lora" block2.gguf       $(( last + 4 )) 32                 # blk.2: past the model's 2 blocks
poke_in "$ad" "$lora" lora-c.gguf       $(( last + 27 )) 63                # .lora_c: not a LoRA tensor (A unpaired)
poke_in "$ad" "$lora" last-b-i32.gguf   $(( last + 48 )) 1a 00 00 00      # I32: not f32, f16 or bf16
poke_in "$ad" "$lora" last-b-rank2.gguf $(( last + 32 )) 02               # rank 2: past the file's end, and A's is 1
poke_in "$ad" "$lora" alpha-nan.gguf    $(( alpha + 18 + 4 )) 00 00 c0 7f # adapter.lora.alpha NaN
cp "$first" "$ad/model-not-adapter.gguf"                                  # a model: general.type missing

du -cb "$out"/* "$tb"/* "$ad"/* | tail -n 1 | awk '{ print "make-corpus: " $1 " bytes" }'
