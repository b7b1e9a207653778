#!/usr/bin/env bash
# The overhead of the LangChain4j layer: the same greedy completions through Gpt2LanguageModel and through
# the library directly, on one batching engine, 1 and 16 callers (not part of the default build or CI):
#
#   ci/perf/bench-langchain4j.sh [--calls N] [--tokens N] [--out DIR]
#
# On the GPT-2-124M-shaped F16 model of ci/perf/bench.sh. The test class is
# langchain4j/src/test/java/.../LangChain4jOverheadBenchmark.java; the table goes to OUT/results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=bench-langchain4j calls=64 tokens=16 out=""
source "$root/ci/options.sh"
take_options "--calls --tokens --out" "" "$@"
out="$(mkdir -p "${out:-$root/langchain4j/target/bench-langchain4j}" && cd "${out:-$root/langchain4j/target/bench-langchain4j}" && pwd)"
cd "$root"
./ci/mvn -B -q -pl langchain4j -am -DskipTests package
model="$(ci/perf/bench-model.sh f16)"
echo "bench-langchain4j: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
./ci/mvn -B -pl langchain4j -am verify -Dgpt2.native.test.skip=true -Dgpt2.test.data.skip=true \
    -Dtest=LangChain4jOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dgpt2.lc4j.bench.model="$model" -Dgpt2.lc4j.bench.calls="$calls" -Dgpt2.lc4j.bench.tokens="$tokens" \
    -Dgpt2.lc4j.bench.out="$out/results.md" > "$out/maven.log" 2>&1 \
    || { tail -n 60 "$out/maven.log" >&2; die "the benchmark failed (log: $out/maven.log)"; }
echo "bench-langchain4j: load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cat "$out/results.md"
