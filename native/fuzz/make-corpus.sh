#!/usr/bin/env bash
# Usage: native/fuzz/make-corpus.sh [BUILD_DIR]     (default build/cpu; any build with the tools)
# Writes the committed seed corpora of the fuzz targets (ci/checks/fuzz.sh), byte for byte the same
# each time (gpt2-make-model is deterministic for a seed):
#   corpus/model_load: tiny GPT-2 GGUFs of 257 tokens (the least gpt2-make-model writes: 256 byte
#     tokens and <|endoftext|>), one per weight type and layout, then cut and damaged copies of the
#     first: the header alone, the metadata cut short, the tensor data cut short, and a few bytes
#     changed in the header: the version, the tensor count, the first key's length;
#   corpus/token_bytes: byte-to-unicode text (ASCII, "Ġ", the last code point of the table U+0143,
#     ones just outside it, invalid UTF-8, an overlong encoding).
# Builds gpt2-make-model in BUILD_DIR if it is not there (needs GGML_SOURCE_DIR or ci/fetch-ggml.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build/cpu}"
make_model="$build/bin/gpt2-make-model"
if [[ ! -x "$make_model" ]]; then
    src="${GGML_SOURCE_DIR:-$("$root/ci/fetch-ggml.sh" | tail -n 1)}"
    [[ -f "$build/CMakeCache.txt" ]] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DGPT2_GGML_SOURCE_DIR="$src" > /dev/null
    cmake --build "$build" --target gpt2-make-model
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
# poke NAME OFFSET BYTES...: a copy of the first model with BYTES (hex) at OFFSET
poke() {
    local name="$1" at="$2"; shift 2
    cp "$first" "$out/$name"
    printf "$(printf '\\x%s' "$@")" | dd of="$out/$name" bs=1 seek="$at" conv=notrunc status=none
}
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

du -cb "$out"/* "$tb"/* | tail -n 1 | awk '{ print "make-corpus: " $1 " bytes" }'
