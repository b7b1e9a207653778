#!/usr/bin/env bash
# Usage: ci/test-launcher.sh [WORK_DIR]     (default cli/target/test-launcher)
# What bin/gpt2 prints on stderr, checked by the build once the CLI is packaged (cli/pom.xml, phase
# integration-test; skipped with the tests): on libgpt2, a command that succeeds prints nothing there,
# so bin/gpt2 must not hand the JVM jdk.incubator.vector, whose "Using incubator modules" note would
# be that line; the pure-Java engine (--engine java, --engine=java, any case) and the trainer (`train`,
# `finetune`) need the module and must still run. The native library is extracted into WORK_DIR, not the user's
# cache.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/cli/target/test-launcher}"
fail() { echo "test-launcher: FAIL: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
out="$work/stdout.txt" err="$work/stderr.txt"
note='WARNING: Using incubator modules: jdk.incubator.vector'

# gpt2 ARGS...: bin/gpt2 with its stdout and stderr in files; fails on a non-zero exit
gpt2() {
    env -u JAVA_OPTS JAVA_OPTS="-Dgpt2.native.cache=$work/native-cache" "$root/bin/gpt2" "$@" >"$out" 2>"$err" \
        || fail "bin/gpt2 $* exited with $?:"$'\n'"$(cat "$err")"
    [[ -s "$out" ]] || fail "bin/gpt2 $* printed nothing on stdout"
}
# quiet ARGS...: succeeds with nothing on stderr
quiet() {
    gpt2 "$@"
    [[ ! -s "$err" ]] || fail "bin/gpt2 $* printed on stderr:"$'\n'"$(cat "$err")"
    echo "test-launcher: bin/gpt2 $*: nothing on stderr"
}
# vector ARGS...: succeeds, the JVM having the Vector API: its note is on stderr
vector() {
    gpt2 "$@"
    grep -qxF "$note" "$err" || fail "bin/gpt2 $* ran without jdk.incubator.vector:"$'\n'"$(cat "$err")"
    echo "test-launcher: bin/gpt2 $*: with jdk.incubator.vector"
}

quiet --version
quiet info
quiet generate -n 8 "And God said"
quiet generate --engine native -n 8 "And God said"
quiet tokenize "train"
vector generate --engine java -n 8 "And God said"
vector generate --engine=JAVA -n 8 "And God said"
# the only stderr line of a Java-engine command is the JVM's note
[[ "$(cat "$err")" == "$note" ]] || fail "more than the JVM's note on stderr:"$'\n'"$(cat "$err")"

# a bad model file: the command fails with status 1 and exactly one stderr line (no log records of
# ggml's parse errors besides it), naming the file; on the Java engine the JVM's note comes before it
# refused KIND ARGS...: bin/gpt2 ARGS... fails, its stderr the one message (after the note for KIND java)
refused() {
    local kind="$1" file="${*: -1}"
    shift
    local status=0
    env -u JAVA_OPTS JAVA_OPTS="-Dgpt2.native.cache=$work/native-cache" "$root/bin/gpt2" "$@" >"$out" 2>"$err" || status=$?
    [[ "$status" == 1 ]] || fail "bin/gpt2 $* exited with $status on a bad file:"$'\n'"$(cat "$err")"
    local lines
    lines="$(grep -vxF "$note" "$err" || true)"
    [[ "$kind" == native ]] && ! grep -qxF "$note" "$err" || [[ "$kind" == java ]] || fail "bin/gpt2 $* had the JVM's note"
    [[ "$(printf '%s\n' "$lines" | wc -l)" == 1 && "$lines" == *"$(basename "$file")"* && "$lines" == *GPT2_ERR_FORMAT* ]] \
        || fail "bin/gpt2 $* on a bad file printed on stderr:"$'\n'"$(cat "$err")"
    echo "test-launcher: bin/gpt2 $*: one line on stderr: ${lines:0:120}"
}
head -c 3000 "$root/fixtures/tiny-odd-heads/model-q4_0.gguf" > "$work/truncated.gguf"
{ head -c 4 "$root/fixtures/tiny-odd-heads/model-q4_0.gguf"; printf '\x09\x00\x00\x00'; tail -c +9 "$root/fixtures/tiny-odd-heads/model-q4_0.gguf"; } > "$work/version-9.gguf"
for bad in "$work/truncated.gguf" "$work/version-9.gguf"; do
    refused native info -m "$bad"
    refused native generate -n 2 "And God said" -m "$bad"
    refused java info --engine java -m "$bad"
    refused java generate --engine java -n 2 "And God said" -m "$bad"
done

# the trainer: one step of a 1-layer model on a small corpus (the Java engine by default)
for i in $(seq 1 300); do echo "And it came to pass in the day $i that the people went out."; done > "$work/corpus.txt"
vector train "$work/corpus.txt" -o "$work/model.gguf" --vocab-from "$root/models/gpt2-kjv.gguf" \
    --layers 1 --embd 32 --heads 2 --ctx 16 --batch 1 --steps 1 --val-every 4 -t 1
[[ -s "$work/model.gguf" ]] || fail "gpt2 train wrote no model"
# the fine-tuner: one SFT step from that model
echo '{"prompt": "And it came to pass", "response": " in the day."}' > "$work/sft.jsonl"
vector finetune "$work/sft.jsonl" -m "$work/model.gguf" -o "$work/tuned.gguf" --steps 1 --batch 1 -t 1
[[ -s "$work/tuned.gguf" ]] || fail "gpt2 finetune wrote no model"
# gpt2 serve: the server module's jars are on the launcher's path; one line with the URL, an answer, then
# SIGTERM stops it gracefully with status 0 and nothing on stderr
env -u JAVA_OPTS JAVA_OPTS="-Dgpt2.native.cache=$work/native-cache" "$root/bin/gpt2" serve --port 0 --parallel 1 -t 1 \
    >"$out" 2>"$err" &
server=$!
url=""
for _ in $(seq 1 300); do
    url="$(grep -o 'http://[^ ]*' "$out" || true)"
    [[ -n "$url" ]] && break
    kill -0 "$server" 2>/dev/null || fail "bin/gpt2 serve exited early:"$'\n'"$(cat "$err")"
    sleep 0.1
done
[[ -n "$url" ]] || { kill "$server"; fail "bin/gpt2 serve printed no URL in 30 s"; }
answer="$(curl -sS --max-time 60 "${url}v1/completions" -H 'Content-Type: application/json' \
    -d '{"model": "gpt2-java-kjv", "prompt": "And God said", "max_tokens": 4}')" \
    || { kill "$server"; fail "no answer from $url"; }
[[ "$answer" == *'"text_completion"'* ]] || { kill "$server"; fail "bin/gpt2 serve answered: $answer"; }
kill -TERM "$server"
status=0
wait "$server" || status=$?
[[ "$status" == 0 ]] || fail "bin/gpt2 serve exited with $status on SIGTERM:"$'\n'"$(cat "$err")"
[[ ! -s "$err" ]] || fail "bin/gpt2 serve printed on stderr:"$'\n'"$(cat "$err")"
echo "test-launcher: bin/gpt2 serve: answered, stopped on SIGTERM with status 0, nothing on stderr"

echo "test-launcher: OK"
