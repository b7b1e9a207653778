#!/usr/bin/env bash
# Batch generation on Apache Spark against a plain loop (not part of the default build or CI): greedy
# completions of R prompts on a GPT-2-124M-shaped GGUF (random weights, F16; the model of ci/perf/bench.sh),
#
#   plain loop   one JVM, Generator row after row, one thread
#   Spark        local-cluster mode with 1 and then 2 executor JVMs of one core each (workers and
#                executors on this machine, loopback only), each job with 1 slot (every row must be the
#                loop's, bit for bit: checked) and with S slots (continuous batching: rows that differ
#                from the loop's are counted, as batched evals round otherwise)
#
# rows/s and generated tokens/s of one timed run each, after a warm-up job of 8 rows (model loads, JIT).
# The JVM and Spark start-ups are outside the figures. Prints the machine's load before and after, and
# the table, also written to OUT/results.md. The test class is spark/src/test/java/.../SparkBenchmark.java.
#
#   ci/perf/bench-spark.sh [--rows R] [--tokens N] [--slots S] [--out DIR]
#
#   --rows R     prompts (default 1000)
#   --tokens N   most tokens generated per row (default 16)
#   --slots S    slots of the batched runs (default 8)
#   --out DIR    default spark/target/bench-spark
#
# Needs what the build needs; Spark comes from Maven Central on the first build. On 2 cores shared with
# other builds the default run takes tens of minutes: see docs/SPARK.md for measured figures.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=bench-spark rows=1000 tokens=16 slots=8 out=""
source "$root/ci/options.sh"
take_options "--rows --tokens --slots --out" "" "$@"
[[ "$rows" =~ ^[0-9]+$ ]] && (( rows >= 8 )) || die "--rows must be a number >= 8, was '$rows'"
[[ "$tokens" =~ ^[0-9]+$ ]] && (( tokens >= 1 )) || die "--tokens must be a number >= 1, was '$tokens'"
[[ "$slots" =~ ^[0-9]+$ ]] && (( slots >= 2 && slots <= 256 )) || die "--slots must be in 2..256, was '$slots'"
out="$(mkdir -p "${out:-$root/spark/target/bench-spark}" && cd "${out:-$root/spark/target/bench-spark}" && pwd)"
cd "$root"

# the build, with gpt2-make-model (and Spark fetched the first time)
./ci/mvn -B -q -pl spark -am -DskipTests package

# the model: bench.sh's, in the project's cache folder (docs/BUILDING.md)
cache="${GPT2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gpt2-java}"
model="$cache/bench-models/gpt2-124m-shape-seed1-f16.gguf"
if [[ ! -f "$model" ]]; then
    mkdir -p "$(dirname "$model")"
    core/target/native/bin/gpt2-make-model --out "$model.tmp" --vocab 50257 --ctx 1024 --embd 768 --head 12 \
        --layer 12 --type f16 --seed 1 --scale 0.02 >&2
    mv "$model.tmp" "$model"
fi

echo "bench-spark: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
start=$(date +%s)
./ci/mvn -B -pl spark -am verify -Dgpt2.native.test.skip=true -Dgpt2.test.data.skip=true \
    -Dtest=SparkBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dgpt2.spark.bench.model="$model" -Dgpt2.spark.bench.rows="$rows" -Dgpt2.spark.bench.tokens="$tokens" \
    -Dgpt2.spark.bench.slots="$slots" -Dgpt2.spark.bench.out="$out/results.md" > "$out/maven.log" 2>&1 \
    || { tail -n 60 "$out/maven.log" >&2; die "the benchmark failed (log: $out/maven.log)"; }
echo "bench-spark: load after: $(cut -d' ' -f1-3 /proc/loadavg); $(( $(date +%s) - start )) s" >&2
cat "$out/results.md"
