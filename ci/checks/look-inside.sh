#!/usr/bin/env bash
# The figures of docs/LOOK-INSIDE.md for one model: runs the gpt2 commands that make them and
# writes their pictures and text outputs into OUTDIR (default docs/look-inside/).
#
#   ci/checks/look-inside.sh MODEL.gguf [OUTDIR]
#
# Every text file starts with the command that made it ("$ gpt2 ..." with the model as MODEL);
# OUTDIR/MANIFEST.txt lists the files, the model's file name and sha256, and gpt2 --version.
# The texts are fixed below, chosen for the default model (the King James Bible) (each can be overridden by the environment variable named beside it);
# LOOK_ENGINE=java runs the pure-Java engine instead of libgpt2. Needs the built command line
# (bin/gpt2: ./ci/mvn -B -DskipTests package). Not part of the default CI run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

die() { echo "look-inside: $*" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || die "usage: ci/checks/look-inside.sh MODEL.gguf [OUTDIR]"
model=$1
out=${2:-$root/docs/look-inside}
[[ -f "$model" ]] || die "no model file $model"
compgen -G "$root/cli/target/gpt2-java-cli-*.jar" >/dev/null \
    || die "build the command line first: ./ci/mvn -B -DskipTests package"

tokens_text=${LOOK_TOKENS_TEXT:-"Artificial intelligence isn't magic: GPT-2 reads text as tokens."}
next_prompt=${LOOK_NEXT_PROMPT:-"And God said, Let there be"}
gen_prompt=${LOOK_GEN_PROMPT:-"In the beginning God created"}
word=${LOOK_WORD:-" king"}
analogy_a=${LOOK_ANALOGY_A:-" king"}
analogy_b=${LOOK_ANALOGY_B:-" man"}
analogy_c=${LOOK_ANALOGY_C:-" woman"}
attention_text=${LOOK_ATTENTION_TEXT:-"And the LORD said unto Moses, Go in unto Pharaoh, and tell him."}
lens_text=${LOOK_LENS_TEXT:-"And Moses said unto the LORD, and the LORD said unto"}
engine=${LOOK_ENGINE:-native}

mkdir -p "$out"
model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model")
out=$(cd "$out" && pwd)
cd "$out" # the commands write their pictures here, by file name alone
gpt2="$root/bin/gpt2"
err=$(mktemp)
trap 'rm -f "$err"' EXIT

# run ARGS...: `gpt2 ARGS -m MODEL --engine ENGINE`; stderr to a file shown on failure (the JVM's
# note on the incubating Vector API is not a failure)
run() {
    "$gpt2" "$@" -m "$model" --engine "$engine" 2>"$err" || { cat "$err" >&2; die "failed: gpt2 $*"; }
}

# quoted ARGS...: the arguments as a shell would need them typed
quoted() {
    local a s=""
    for a in "$@"; do
        if [[ "$a" =~ ^[A-Za-z0-9_./=:-]+$ ]]; then s+=" $a"; else s+=" '${a//\'/\'\\\'\'}'"; fi
    done
    echo "${s# }"
}

# cmd ARGS...: the command line as typed ("$ gpt2 ..."), a blank line, then what it prints
cmd() {
    echo "\$ gpt2 $1 -m MODEL$([[ $engine == native ]] || echo " --engine $engine") $(quoted "${@:2}")"
    echo
    run "$@"
}

# made FILE...: each FILE is there and not empty
made() {
    local f
    for f in "$@"; do
        [[ -s "$f" ]] || die "$f was not written"
        echo "look-inside: $f"
    done
}

n_layer=$(run info | awk '$1 == "n_layer:" { print $2 }')
[[ "$n_layer" =~ ^[0-9]+$ ]] || die "could not read n_layer from gpt2 info"

# 1. tokens (and GPT-2's leading space: " king" and "king" are different tokens)
{ cmd tokenize "$tokens_text"; echo; cmd tokenize "$word"; echo; cmd tokenize "${word# }"; } > tokens.txt
made tokens.txt
# 2. the next-token distribution
cmd next -k 10 "$next_prompt" > next-token.txt
made next-token.txt
# 3. greedy search vs beam search with 2 beams, and the tree the beams explored
cmd generate -n 12 "$gen_prompt" > greedy.txt
cmd beam --num-beams 2 -n 12 --tree --svg beam-tree.svg "$gen_prompt" > beam.txt
made greedy.txt beam.txt beam-tree.svg
# 4. embeddings: nearest tokens, and vector arithmetic a - b + c
cmd neighbours -k 10 "$word" > neighbours.txt
cmd neighbours -k 10 --analogy "$analogy_a" "$analogy_b" "$analogy_c" > analogy.txt
made neighbours.txt analogy.txt
# 5. attention patterns per head: all heads of the first and of the last layer, and one head (the
#    page of every layer and head, `attention --html`, is not kept: it is HtmlPage's own HTML and
#    script around these weights, and ci/checks/html-check.sh checks it in a browser)
for layer in 1 "$n_layer"; do
    run attention --layer "$layer" --png "attention-layer$layer.png" "$attention_text" > /dev/null
done
run attention --layer 1 --head 1 --png attention-layer1-head1.png "$attention_text" > /dev/null
made attention-layer1.png "attention-layer$n_layer.png" attention-layer1-head1.png
# 6. layer by layer: the logit lens
cmd lens --probs -k 5 "$lens_text" > lens.txt
run lens --png lens.png "$lens_text" > /dev/null
made lens.txt lens.png
# 7. the size of the model: parameters per tensor and per block, the lecture's arithmetic
cmd info --params > params.txt
made params.txt

{
    echo "Made by ci/checks/look-inside.sh (engine: $engine) from $(basename "$model"),"
    echo "sha256 $(sha256sum "$model" | cut -d' ' -f1)"
    echo "(probe-*: by ci/checks/probe-demo.sh from the same model)"
    "$gpt2" --version 2>/dev/null
    echo
    ls -1 | grep -v '^MANIFEST.txt$'
} > MANIFEST.txt
echo "look-inside: $(ls -1 | wc -l) files in $out"
