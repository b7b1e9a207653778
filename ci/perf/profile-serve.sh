#!/usr/bin/env bash
# Where `gpt2 serve` loses against llama-server (the misses of ci/perf/bench-serve.sh), taken apart
# layer by layer on the GPT-2-124M-shaped models of ci/perf/bench.sh (not part of the default build or CI):
#
#   1. the C loop alone (gpt2-bench, flash attention as the batching engine runs it): a one-token step,
#      and a step of 4 and of 16 sequences one token each (tg 64 x4, x16), as the engine decodes 4 or 16
#      clients; the ratio of the two is the most 16 clients can gain over one;
#   2. the batching engine alone, no HTTP (ci/perf/EngineLoad.java): 1, 4 and 16 closed-loop clients, each
#      request 64 prompt tokens and 128 greedy tokens; decode-only steps apart from the steps that also
#      carry a chunk of a new prompt, and the time outside the evals (the engine's Java work);
#   3. perf record (sampled by time) of the engine at 4 clients (F16) and 1 client (Q8_0): the top symbols,
#      JIT-compiled Java named through the JVM's perf map.
#
#   ci/perf/profile-serve.sh [--types f16,q8_0] [--threads 2] [--out DIR]
#
# Needs the build (./ci/mvn -B -DskipTests package), perf, a JDK >= 25. Writes DIR/profile.md
# (default bench/target/profile-serve). About 8 minutes on a 2-core machine.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=profile-serve types="f16,q8_0" threads="2" out="$root/bench/target/profile-serve"
source "$root/ci/perf/profile-args.sh"
java="$("$root/ci/find-jdk.sh")/bin/java"
version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)"
cp="$root/core/target/gpt2-java-$version.jar:$root/core/target/gpt2-java-$version-$("$root/ci/host-platform.sh").jar"
cp="$cp:$root/bindings/target/gpt2-java-bindings-$version.jar"
for j in ${cp//:/ }; do [[ -f "$j" ]] || die "no $j: build first (./ci/mvn -B -DskipTests package)"; done
mkdir -p "$out"
report="$out/profile.md"

# EngineLoad's command line, before MODEL CLIENTS REQUESTS_PER_CLIENT THREADS (the perf map names JIT code for perf)
engine_load=("$java" --enable-native-access=ALL-UNNAMED -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit
             -cp "$cp" "$root/ci/perf/EngineLoad.java")

{
    echo "#### ci/perf/profile-serve.sh: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$root" rev-parse --short HEAD)"
    echo
    echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $threads compute threads"
    for ty in ${types//,/ }; do
        m="$("$root/ci/perf/bench-model.sh" "$ty")"
        echo
        echo "##### $ty: the C loop (gpt2-bench -t $threads -n 64 -r 3 --fa 1 --beams B)"
        echo
        "$bin/gpt2-bench" "$m" -t "$threads" -p 64 -n 64 -r 3 --fa 1 --beams 4 | grep -v '^$'
        "$bin/gpt2-bench" "$m" -t "$threads" -p 64 -n 64 -r 3 --fa 1 --beams 16 | grep 'x16'
        echo
        echo "##### $ty: the batching engine alone (EngineLoad, $threads threads)"
        echo
        echo '```'
        "${engine_load[@]}" "$m" 1 4 "$threads"
        "${engine_load[@]}" "$m" 4 2 "$threads"
        "${engine_load[@]}" "$m" 16 1 "$threads"
        echo '```'
    done
    for case in "f16 4 2" "q8_0 1 4"; do
        read -r ty c n <<<"$case"
        [[ ",$types," == *",$ty,"* ]] || continue
        m="$("$root/ci/perf/bench-model.sh" "$ty")"
        echo
        echo "##### $ty, $c client(s): perf record -F 499 of EngineLoad, top symbols by self time"
        echo
        echo '```'
        perf record -q -F 499 -o "$out/perf-$ty-$c.data" -- "${engine_load[@]}" "$m" "$c" "$n" "$threads" 2>/dev/null
        perf report -q -i "$out/perf-$ty-$c.data" --no-children --sort dso,sym --percent-limit 1.5 --stdio 2>/dev/null \
            | sed 's/ \{2,\}/  /g' | head -30
        echo '```'
    done
} | tee "$report"
echo "profile-serve: wrote $report" >&2
