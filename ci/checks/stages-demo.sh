#!/usr/bin/env bash
# The stages of making a model, on the default model (docs/STAGES.md): stage 1, pre-training, is the
# committed models/gpt2-kjv.gguf (its card: models/gpt2-kjv.md); stage 2, instruction tuning (SFT) on
# a small set of questions about the King James Bible, once on every parameter and once with LoRA
# adapters; stage 3, preference tuning (DPO) of the SFT model on pairs of answers to a few questions.
# Before and after each stage: the greedy answers, and for DPO the log-probabilities of the preferred
# and the rejected answers.
#
#   ci/checks/stages-demo.sh [MODEL.gguf] [OUTDIR]      # defaults: models/gpt2-kjv.gguf, docs/look-inside/stages/
#
# The data (written for this demonstration, committed; STAGES_DATA names another folder holding the
# same four files): qa-train.jsonl (66 questions and answers, {"prompt": "Q: ...\nA:", "response":
# " ..."}), qa-val.jsonl (10 held out), prefs-train.jsonl (24 pairs {"prompt", "chosen", "rejected"}
# on 8 of the training questions), prefs-val.jsonl (12 pairs on 4 other training questions, held out
# from DPO). Outputs in OUTDIR: sft.txt, lora.txt, dpo.txt (the fine-tuning runs) and their -log.tsv
# (every step), answers.txt (every greedy answer), scores.txt (gpt2 next --score), models.sha256
# (the models written), stages.md (the tables of docs/STAGES.md) and MANIFEST.txt; each text file
# starts with the commands that made it. The fine-tuned models go to a temporary folder, removed at
# the end (STAGES_WORK=DIR keeps them there). STAGES_THREADS (default 2) is the trainer's threads;
# STAGES_LORA=0 skips the LoRA run. The trainer is deterministic: the same run writes the same files,
# bit for bit, but for the times (the "steps in" line of sft.txt, lora.txt and dpo.txt, the last two
# columns of their -log.tsv). Needs the built command line (./ci/mvn -B -DskipTests package). About 5
# minutes on 2 cores (8 while other builds share them); not part of the default CI run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

die() { echo "stages-demo: $*" >&2; exit 2; }
[[ $# -le 2 ]] || die "usage: ci/checks/stages-demo.sh [MODEL.gguf] [OUTDIR]"
model=${1:-$root/models/gpt2-kjv.gguf}
out=${2:-$root/docs/look-inside/stages}
data=${STAGES_DATA:-$root/docs/look-inside/stages}
threads=${STAGES_THREADS:-2}
lora=${STAGES_LORA:-1}
[[ -f "$model" ]] || die "no model file $model"
model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model")
[[ "$threads" =~ ^[1-9][0-9]*$ ]] || die "STAGES_THREADS must be a positive number, was $threads"
for f in qa-train qa-val prefs-train prefs-val; do
    [[ -f "$data/$f.jsonl" ]] || die "no $data/$f.jsonl"
done
data=$(cd "$data" && pwd)
compgen -G "$root/cli/target/gpt2-java-cli-*.jar" >/dev/null \
    || die "build the command line first: ./ci/mvn -B -DskipTests package"
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [[ -n "${STAGES_WORK:-}" ]]; then
    work=$STAGES_WORK
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
gpt2="$root/bin/gpt2"
err="$work/stderr"
start=$SECONDS

# The hyper-parameters (docs/STAGES.md says how they were chosen)
sft_args=(--steps 300 --lr 1e-3 --batch 8 --seed 1234)
lora_args=(--steps 300 --lr 3e-3 --batch 8 --seed 1234 --lora-rank 8 --merge)
dpo_args=(--method dpo --beta 0.1 --steps 60 --lr 1e-4 --batch 8 --seed 1234)
gen_args=(-t 1 -n 24)

# short commands (generate, next) on libgpt2: the JVM's first compiler tier is enough and starts sooner
inference_opts="${JAVA_OPTS:-} -XX:TieredStopAtLevel=1"

# lines FILE FIELDS...: FILE's lines as "question<TAB>field<TAB>...", from lines that read exactly
# {"prompt": "Q: question\nA:", "FIELD": "...", ...} (as the committed files do); anything else is refused
lines() {
    local file=$1 f re='^\{"prompt": "Q: (.*)\\nA:"' to='\1'
    shift
    local i=2
    for f in "$@"; do re+=", \"$f\": \"(.*)\""; to+="\t\\$i"; i=$((i + 1)); done
    re+='\}$'
    [[ $(grep -cvE "$re" "$file") -eq 0 ]] || die "$file: a line that does not read {\"prompt\": \"Q: ...\\nA:\"$(printf ', "%s": "..."' "$@")}"
    sed -nE "s/$re/$to/p" "$file"
}

# finetune NAME DATA ARGS...: a fine-tuning run into $work/NAME.gguf; OUTDIR/NAME.txt gets the command
# and what it prints (the progress bar, on stderr, left out), OUTDIR/NAME-log.tsv every step
finetune() {
    local name=$1 file=$2
    shift 2
    echo "stages-demo: fine-tuning $name ($((SECONDS - start)) s)" >&2
    {
        echo "\$ gpt2 finetune $file ${*//$work\//} -t $threads --log $name-log.tsv -o $name.gguf"
        echo
        (cd "$data" && "$gpt2" finetune "$file" "$@" -t "$threads" --log "$out/$name-log.tsv" \
            -o "$work/$name.gguf" 2>"$err") | sed "s|$work/||g"
    } > "$out/$name.txt" || { cat "$err" >&2; die "failed: gpt2 finetune $file $*"; }
}

# answer NAME QUESTION: sets $ans to the greedy answer of model NAME ($work/NAME.gguf, or the base
# model) to "Q: QUESTION\nA:", computed once and kept (with the list in $work/answers.tsv)
declare -A answers
answer() {
    local key="$1|$2" file=$work/$1.gguf
    [[ $1 == base ]] && file=$model
    if [[ -z "${answers[$key]+x}" ]]; then
        answers[$key]=$(JAVA_OPTS=$inference_opts "$gpt2" generate -m "$file" "${gen_args[@]}" "Q: $2"$'\nA:' 2>"$err") \
            || { cat "$err" >&2; die "failed: gpt2 generate -m $1 Q: $2"; }
        printf '%s\t%s\t%s\n' "$1" "$2" "${answers[$key]//$'\n'/\\n}" >> "$work/answers.tsv"
    fi
    ans=${answers[$key]}
}

# index_of X ITEMS...: true if X is one of ITEMS, and $idx its index
index_of() {
    local x=$1 i
    shift
    for ((i = 1; i <= $#; i++)); do
        if [[ "${!i}" == "$x" ]]; then idx=$((i - 1)); return 0; fi
    done
    return 1
}

# cell TEXT: TEXT in a markdown table cell
cell() { local s=${1# }; s=${s//|/\\|}; s=${s//$'\n'/ ↵ }; printf '%s' "${s:-(nothing)}"; }

# --- stage 2: instruction tuning --------------------------------------------------------------
: > "$work/answers.tsv"
finetune sft qa-train.jsonl --val qa-val.jsonl "${sft_args[@]}"
[[ $lora == 0 ]] || finetune lora qa-train.jsonl --val qa-val.jsonl "${lora_args[@]}"
# --- stage 3: preference tuning, from the SFT model -------------------------------------------
finetune dpo prefs-train.jsonl -m "$work/sft.gguf" --val prefs-val.jsonl "${dpo_args[@]}"

echo "stages-demo: answers ($((SECONDS - start)) s)" >&2
lines "$data/qa-train.jsonl" response > "$work/qa-train.tsv"
lines "$data/qa-val.jsonl" response > "$work/qa-val.tsv"
mapfile -t train_qa < "$work/qa-train.tsv"
mapfile -t val_qa < "$work/qa-val.tsv"
models=(base sft)
[[ $lora == 0 ]] || models+=(lora)
models+=(dpo)

# exact answers of the SFT models on every question, trained and held out
declare -A exact
for m in "${models[@]:1}"; do
    [[ $m == dpo ]] && continue
    for set in train val; do
        n=0
        if [[ $set == train ]]; then rows=("${train_qa[@]}"); else rows=("${val_qa[@]}"); fi
        for row in "${rows[@]}"; do
            q=${row%%$'\t'*}
            answer "$m" "$q"
            [[ "$ans" == "${row#*$'\t'}" ]] && n=$((n + 1))
        done
        exact[$m.$set]="$n of ${#rows[@]}"
    done
done

# the table's rows: every 6th training question (11) and every held-out one (10)
table_rows=()
for i in "${!train_qa[@]}"; do
    (( i % 6 == 0 )) && table_rows+=("train	${train_qa[$i]}")
done
for row in "${val_qa[@]}"; do table_rows+=("held out	$row"); done

echo "stages-demo: DPO's scores ($((SECONDS - start)) s)" >&2
lines "$data/prefs-train.jsonl" chosen rejected > "$work/prefs-train.tsv"
lines "$data/prefs-val.jsonl" chosen rejected > "$work/prefs-val.tsv"
mapfile -t dpo_train < "$work/prefs-train.tsv"
mapfile -t dpo_val < "$work/prefs-val.tsv"
# logp MODEL QUESTION COMPLETIONS...: `gpt2 next --score` of each completion, into scores.txt; sets
# $scores to the log-probabilities
logp() {
    local m=$1 q=$2 c args=()
    shift 2
    for c in "$@"; do args+=(--score "$c"); done
    {
        printf '%s\n' "\$ gpt2 next -m $m.gguf -t 1$(printf " --score '%s'" "$@") \$'Q: $q\\nA:'"
        JAVA_OPTS=$inference_opts "$gpt2" next -m "$work/$m.gguf" -t 1 "${args[@]}" "Q: $q"$'\nA:' 2>"$err" \
            || { cat "$err" >&2; die "failed: gpt2 next --score on $m"; }
        echo
    } >> "$out/scores.txt"
    mapfile -t scores < <(tail -n "$((2 * $# + 1))" "$out/scores.txt" | awk '$2 ~ /^[0-9]+$/ && $1 ~ /^-?[0-9.]+$/ { print $1 }')
    ((${#scores[@]} == $#)) || die "gpt2 next --score on $m: expected $# scores, read ${#scores[@]}"
}
: > "$out/scores.txt"
# pairs: the distinct questions of the preference files, each with its completions in order of first use
dpo_table=""
dpo_greedy=""
for set in train val; do
    if [[ $set == train ]]; then rows=("${dpo_train[@]}"); else rows=("${dpo_val[@]}"); fi
    declare -A seen=()
    for row in "${rows[@]}"; do
        q=${row%%$'\t'*}
        [[ -n "${seen[$q]+x}" ]] && continue
        seen[$q]=1
        # this question's completions and pairs
        comps=() pairs=()
        for r in "${rows[@]}"; do
            [[ ${r%%$'\t'*} == "$q" ]] || continue
            rest=${r#*$'\t'}
            ch=${rest%%$'\t'*} rj=${rest#*$'\t'}
            for c in "$ch" "$rj"; do index_of "$c" "${comps[@]}" || comps+=("$c"); done
            pairs+=("$ch	$rj")
        done
        logp sft "$q" "${comps[@]}"
        before=("${scores[@]}")
        logp dpo "$q" "${comps[@]}"
        after=("${scores[@]}")
        for p in "${pairs[@]}"; do
            ch=${p%%$'\t'*} rj=${p#*$'\t'}
            index_of "$ch" "${comps[@]}"
            ic=$idx
            index_of "$rj" "${comps[@]}"
            ir=$idx
            dpo_table+=$(awk -v s="$set" -v q="$q" -v c="$(cell "$ch")" -v r="$(cell "$rj")" \
                -v bc="${before[$ic]}" -v br="${before[$ir]}" -v ac="${after[$ic]}" -v ar="${after[$ir]}" \
                'BEGIN { printf "| %s | %s | %s | %s | %.2f | %.2f | %+.2f |\n", s, q, c, r, bc - br, ac - ar, (ac - ar) - (bc - br) }')$'\n'
        done
        answer sft "$q"
        a_sft=$ans
        answer dpo "$q"
        dpo_greedy+="| $set | $q | $(cell "$a_sft") | $(cell "$ans") |"$'\n'
    done
    unset seen
done

# --- the outputs ------------------------------------------------------------------------------

{
    ( cd "$(dirname "$model")" && sha256sum "$(basename "$model")" )
    for m in "${models[@]:1}"; do (cd "$work" && sha256sum "$m.gguf"); done
} > "$out/models.sha256"

{
    echo "<!-- made by ci/checks/stages-demo.sh from $(basename "$model"): its answers.txt, scores.txt, sft.txt, lora.txt, dpo.txt -->"
    echo
    echo "Answers, greedy, before (the base model) and after instruction tuning (SFT: every parameter; LoRA: rank 8, merged) and after DPO (from the SFT model):"
    echo
    printf '| set | question | expected | base | SFT |%s DPO |\n' "$([[ $lora == 0 ]] || echo " LoRA |")"
    printf '|---|---|---|---|---|%s---|\n' "$([[ $lora == 0 ]] || echo "---|")"
    for row in "${table_rows[@]}"; do
        set=${row%%$'\t'*} rest=${row#*$'\t'}
        q=${rest%%$'\t'*} want=${rest#*$'\t'}
        line="| $set | $q | $(cell "$want") |"
        for m in "${models[@]}"; do
            answer "$m" "$q"
            if [[ $m != base && "$ans" == "$want" ]]; then line+=" **$(cell "$ans")** |"; else line+=" $(cell "$ans") |"; fi
        done
        echo "$line"
    done
    echo
    echo "Exact answers (bold above): SFT ${exact[sft.train]} training questions, ${exact[sft.val]} held out$([[ $lora == 0 ]] || echo "; LoRA ${exact[lora.train]} and ${exact[lora.val]}")."
    echo
    echo "Preference tuning: log p(chosen) − log p(rejected), natural log, summed over the answer's tokens and the closing <|endoftext|> (gpt2 next --score), under the SFT model (before) and the DPO model (after); train: pairs DPO was tuned on, val: pairs on questions it did not see:"
    echo
    echo "| set | question | chosen | rejected | margin before | margin after | change |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s' "$dpo_table"
    echo
    echo "Greedy answers to the questions of the preference pairs, before (SFT) and after DPO:"
    echo
    echo "| set | question | SFT | DPO |"
    echo "|---|---|---|---|"
    printf '%s' "$dpo_greedy"
} > "$out/stages.md"

# after the tables, which ask for the answers they show
{
    printf '%s\n' "\$ gpt2 generate -m MODEL ${gen_args[*]} \$'Q: QUESTION\\nA:'      # for each model and question"
    if [[ $lora == 0 ]]; then
        echo "# MODEL: base = $(basename "$model"), sft.gguf and dpo.gguf as sft.txt and dpo.txt write them"
    else
        echo "# MODEL: base = $(basename "$model"), sft.gguf, lora.gguf and dpo.gguf as sft.txt, lora.txt and dpo.txt write them"
    fi
    printf '%s\n' "# model<TAB>question<TAB>answer (greedy; at most 24 tokens, fewer where it wrote <|endoftext|>; a line break as \\n)"
    echo
    cat "$work/answers.tsv"
} > "$out/answers.txt"

{
    echo "Made by ci/checks/stages-demo.sh from $(basename "$model"),"
    echo "sha256 $(sha256sum "$model" | cut -d' ' -f1)"
    "$gpt2" --version 2>/dev/null
} > "$out/MANIFEST.txt"

echo "stages-demo: done in $((SECONDS - start)) s; $out/stages.md" >&2
cat "$out/stages.md"
