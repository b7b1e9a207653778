#!/usr/bin/env bash
# Tokenizer throughput: our Gpt2Tokenizer vs JTokkit r50k_base (encode, one thread), JMH.
#   ci/perf/bench-tokenizer.sh [CORPUS] [JMH args...]     CORPUS: kjv (default) or sotu
# Builds bench/target/benchmarks.jar (skipping tests and the native build if libgpt2 is built),
# runs dev.gpt2java.bench.TokenizerBenchmark briefly (-wi 3 -i 5 -f 1 unless JMH args are given)
# and prints JMH's table, then tokens/s and MB/s of both and their ratio.
# The corpus comes from ci/fetch-tokenizer-data.sh (GPT2_TOKENIZER_DATA, else tokenizer-data/ in the
# project's cache folder, ${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

corpus="${1:-kjv}"
shift || true
jmh_args=("$@")
if (( ${#jmh_args[@]} == 0 )); then
    jmh_args=(-wi 3 -w 2s -i 5 -r 2s -f 1)
fi

data="${GPT2_TOKENIZER_DATA:-${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}/tokenizer-data}"
if [[ ! -f "$data/gpt2/encoder.json" || ! -f "$data/gpt2/vocab.bpe" ]]; then
    echo "bench-tokenizer: no GPT-2 tokenizer files in $data: run ci/fetch-tokenizer-data.sh first" >&2
    exit 1
fi

# the native build is only needed for the gpt2-java jar; reuse it when libgpt2 is already there
native_skip=false
if ls core/target/classes/META-INF/native/*/libgpt2.* >/dev/null 2>&1; then
    native_skip=true
fi
./ci/mvn -B -q -Dstyle.color=never -o -pl bench -am -DskipTests -Dgpt2.native.skip="$native_skip" package \
    || ./ci/mvn -B -q -Dstyle.color=never -pl bench -am -DskipTests -Dgpt2.native.skip="$native_skip" package

java_home="$(ci/find-jdk.sh)"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
echo "bench-tokenizer: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "bench-tokenizer: java -jar bench/target/benchmarks.jar TokenizerBenchmark -p corpus=$corpus ${jmh_args[*]}"
"$java_home/bin/java" --enable-native-access=ALL-UNNAMED -Dgpt2.tokenizer.data="$data" \
    -jar bench/target/benchmarks.jar TokenizerBenchmark -p corpus="$corpus" "${jmh_args[@]}" | tee "$out"

# "# corpus kjv: 4137850 bytes, ... chars, 1047312 tokens (...)" (JMH may print it after an iteration
# label on the same line) and the "avgt" rows: "Name params... avgt [Cnt] Score [± Error] Units" (ms/op)
awk '
    match($0, /# corpus [a-z]+: [0-9]+ bytes, [0-9]+ chars, [0-9]+ tokens/) {
        split(substr($0, RSTART, RLENGTH), f, " "); bytes = f[4]; tokens = f[8]
    }
    $0 ~ / avgt / && $1 ~ /TokenizerBenchmark/ {
        for (a = 1; a <= NF && $a != "avgt"; a++) {}
        name = $1; sub(/.*\./, "", name)
        ms[name] = (NF - a == 2) ? $(a + 1) : $(a + 2)
    }
    END {
        if (!tokens || !ms["gpt2java"] || !ms["jtokkit"]) { print "bench-tokenizer: no result to summarize"; exit 1 }
        printf "\n%-10s %12s %14s %10s\n", "tokenizer", "ms/corpus", "tokens/s", "MB/s"
        split("gpt2java jtokkit", order, " ")
        for (i = 1; i <= 2; i++) { n = order[i]; printf "%-10s %12.1f %14.0f %10.2f\n", n, ms[n], tokens / (ms[n] / 1000), bytes / 1e6 / (ms[n] / 1000) }
        printf "gpt2java / jtokkit throughput: %.2fx (%d tokens, %.2f MB of %s)\n", ms["jtokkit"] / ms["gpt2java"], tokens, bytes / 1e6, corpus
    }' corpus="$corpus" "$out"
