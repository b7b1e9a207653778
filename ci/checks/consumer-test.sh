#!/usr/bin/env bash
# Usage: ci/checks/consumer-test.sh
# The artifacts as a user gets them. Installs the build into the local Maven repository
# (./ci/mvn -B -DskipTests install; CONSUMER_SKIP_INSTALL=1 skips it), builds ci/checks/consumer/
# offline against the installed inference artifact only (the gpt2-java jar, with gpt2-java-bindings,
# and this platform's classifier jar), then runs its Main on fixtures/tiny-odd-heads/model-f32.gguf
# with an empty java.library.path and a fresh native cache: twice on the class path (extracting
# libgpt2 from the jar, then reusing the cache), then greedy again on the module path (module example,
# the platform jar on the class path) with --show-module-resolution. It checks what they print: on
# stdout the tokens, where libgpt2 came from, the backend and the CPU variant, the same tokens each
# time, and a module graph without jdk.incubator.vector (nor the Java engine, the tools, the GGUF
# module); on stderr (the native log at its default level, warnings and errors) nothing, or for a
# GPU jar on a machine without that GPU exactly one line saying the CPU computes. Last, jdeps on the
# gpt2-java jar: it depends on no package or module of the converter, the trainer, the Java engine
# or GGUF (dev.gpt2java.convert, .train, .jvm, .gguf; jdk.incubator.vector).
# Env: CONSUMER_PLATFORM  the classifier to run (default: this machine's <os>-<arch>; e.g.
#                         linux-x86_64-cuda for the CUDA jar installed by ci/release/build-platform.sh)
#      CONSUMER_INSTALL_ARGS  extra arguments of the install (split on spaces), e.g. the release
#                         build's -Dgpt2.native.build.dir=... -Dgpt2.native.classifier=...
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
fail() { echo "consumer-test: FAIL: $*" >&2; exit 1; }

host="$(ci/host-platform.sh)" || fail "no native jar for this machine"
case "$host" in
    linux-*) lib=libgpt2.so ;;
    macos-*) lib=libgpt2.dylib ;;
    windows-*) lib=libgpt2.dll ;;
esac
platform="${CONSUMER_PLATFORM:-$host}"
[[ "$platform" == "$host" || "$platform" == "$host"-* ]] || fail "CONSUMER_PLATFORM=$platform is not for $host"
version=0.1.0-SNAPSHOT
java_home="$(ci/find-jdk.sh)"
model="$root/fixtures/tiny-odd-heads/model-f32.gguf"

if [[ "${CONSUMER_SKIP_INSTALL:-0}" != 1 ]]; then
    # shellcheck disable=SC2086 # CONSUMER_INSTALL_ARGS is a list of arguments
    ./ci/mvn -B -DskipTests install ${CONSUMER_INSTALL_ARGS:-}
fi

consumer="$root/ci/checks/consumer"
rm -rf "$consumer/target"
mkdir -p "$consumer/target"
./ci/mvn -B -o -f "$consumer/pom.xml" -Dgpt2.platform="$platform" compile dependency:build-classpath \
    -Dmdep.outputFile="$consumer/target/classpath.txt" > "$consumer/target/mvn.log" 2>&1 \
    || { cat "$consumer/target/mvn.log" >&2; fail "the consumer project did not build offline (log above)"; }
cp="$(cat "$consumer/target/classpath.txt")"
echo "consumer-test: class path: $cp"
IFS=: read -r -a entries <<< "$cp"
for e in "${entries[@]}"; do
    [[ "$e" == "$root"/* ]] && fail "class path entry $e is in the build tree, not the local repository"
    [[ "$e" == *.jar ]] || fail "class path entry $e is not a jar"
done
native_jar="$(printf '%s\n' "${entries[@]}" | grep "/gpt2-java-$version-$platform.jar$")" \
    || fail "no $platform jar on the class path"
main_jar="$(printf '%s\n' "${entries[@]}" | grep "/gpt2-java-$version.jar$")" || fail "no gpt2-java jar on the class path"
# as installed: the main jar without natives, the platform jar with them
"$java_home/bin/jar" tf "$main_jar" | grep -q '^META-INF/native/' && fail "$main_jar holds META-INF/native/"
"$java_home/bin/jar" tf "$native_jar" | grep -qx "META-INF/native/$platform/$lib" || fail "$native_jar lacks $lib"
"$java_home/bin/jar" tf "$native_jar" | grep -qx "META-INF/native/$platform/index.txt" || fail "$native_jar lacks index.txt"

empty="$consumer/target/empty-library-path"
cache="$consumer/target/native-cache"
mkdir -p "$empty"
log="$consumer/target/stderr.txt"
# the native log straight to stderr (-Dgpt2.log=stderr): one line per message, at libgpt2's default
# level (warnings and errors)
run() {
    env -u LD_LIBRARY_PATH -u DYLD_LIBRARY_PATH "$java_home/bin/java" --enable-native-access=ALL-UNNAMED \
        -Djava.library.path="$empty" -Dgpt2.native.cache="$cache" -Dgpt2.log=stderr \
        -cp "$consumer/target/classes:$cp" example.Main "$model" 2> "$log"
}
first="$(run)" || fail "the consumer failed:"$'\n'"$first"$'\n'"$(cat "$log")"
echo "$first"
first_log="$(cat "$log")"
second="$(run)" || fail "the consumer failed on its second run:"$'\n'"$second"$'\n'"$(cat "$log")"

grep -q "^libgpt2: $cache/.*/$platform/$lib (extracted from jar:file:.*gpt2-java-$version-$platform.jar!/META-INF/native/$platform/$lib)$" \
    <<< "$first" || fail "libgpt2 was not extracted from the $platform jar into $cache"
grep -Eq '^tokens: \[([0-9]+, ){15}[0-9]+\]$' <<< "$first" || fail "no line of 16 generated tokens"
[[ "$(grep '^tokens:' <<< "$first")" == "$(grep '^tokens:' <<< "$second")" ]] || fail "the two runs generated differently"
n="$(find "$cache" -name "$lib" -type f | wc -l)"
[[ "$n" -eq 1 ]] || fail "the cache holds $n copies of $lib, not 1"
# every file the index lists lies beside the library, as in the jar
libdir="$(dirname "$(find "$cache" -name "$lib" -type f)")"
unpacked="$consumer/target/native-jar"
mkdir -p "$unpacked"
(cd "$unpacked" && "$java_home/bin/jar" xf "$native_jar")
jar_dir="$unpacked/META-INF/native/$platform"
while read -r line; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    f="${line#backend }"
    cmp -s "$libdir/$f" "$jar_dir/$f" || fail "$libdir/$f is not the jar's $f"
done < "$jar_dir/index.txt"
grep -q '^backend: ' <<< "$first" || fail "no backend line"
variant="$(sed -n 's/^cpu variant: //p' <<< "$first")"
echo "consumer-test: CPU variant: ${variant:-(none: compiled in)}; native log on stderr:"$'\n'"$first_log"
if grep -Eq '^backend (lib)?ggml-(cuda|vulkan)[^ ]*$' "$jar_dir/index.txt" && grep -q '^backend: CPU$' <<< "$first"; then
    # a GPU build on a machine without that GPU: exactly one line says so, each run
    for l in "$first_log" "$(cat "$log")"; do
        [[ "$(grep -c . <<< "$l")" -eq 1 ]] || fail "not exactly one log line about the missing GPU:"$'\n'"$l"
        grep -q 'computing on the CPU' <<< "$l" || fail "the log line does not say the CPU computes: $l"
    done
else
    [[ -z "$first_log" && -z "$(cat "$log")" ]] || fail "unexpected native log lines:"$'\n'"$first_log"
fi

# ---- on the module path: the inference artifact's module graph
modulepath="$consumer/target/classes"
for e in "${entries[@]}"; do
    [[ "$e" == "$native_jar" ]] || modulepath+=":$e"
done
resolution="$consumer/target/module-path-stdout.txt"
env -u LD_LIBRARY_PATH -u DYLD_LIBRARY_PATH "$java_home/bin/java" --show-module-resolution \
    --enable-native-access=dev.gpt2java.ffi,dev.gpt2java -Djava.library.path="$empty" \
    -Dgpt2.native.cache="$cache" -Dgpt2.log=stderr -p "$modulepath" -cp "$native_jar" \
    -m example/example.Main "$model" > "$resolution" 2> "$log" \
    || fail "the consumer failed on the module path:"$'\n'"$(cat "$resolution")"$'\n'"$(cat "$log")"
# the JVM's resolution lines: "root M LOCATION", "M requires N LOCATION", "M binds N LOCATION"
modules="$(grep -E '^(root [^ ]+|[^ ]+ (requires|binds) [^ ]+) ' "$resolution" || true)"
grep -q '^root example ' <<< "$modules" || fail "no module resolution printed (--show-module-resolution)"
grep -Eq '^example requires dev\.gpt2java ' <<< "$modules" || fail "module example did not resolve dev.gpt2java"
grep -Eq '^dev\.gpt2java requires dev\.gpt2java\.ffi ' <<< "$modules" || fail "dev.gpt2java did not resolve dev.gpt2java.ffi"
if bad="$(grep -E ' (jdk\.incubator\.vector|dev\.gpt2java\.(jvm|tools|gguf)) ' <<< "$modules")"; then
    fail "the inference artifact's module graph holds more than inference:"$'\n'"$bad"
fi
[[ "$(grep '^tokens:' "$resolution")" == "$(grep '^tokens:' <<< "$first")" ]] \
    || fail "the module path generated differently from the class path"
module_log="$(cat "$log")"
if grep -Eq '^backend (lib)?ggml-(cuda|vulkan)[^ ]*$' "$jar_dir/index.txt" && grep -q '^backend: CPU$' <<< "$first"; then
    [[ "$(grep -c . <<< "$module_log")" -eq 1 ]] && grep -q 'computing on the CPU' <<< "$module_log" \
        || fail "on the module path, not exactly one log line about the missing GPU:"$'\n'"$module_log"
else
    [[ -z "$module_log" ]] || fail "on the module path, stderr was not empty:"$'\n'"$module_log"
fi
echo "consumer-test: module path: $(grep -c . <<< "$modules") resolution lines, no jdk.incubator.vector," \
     "$(grep -c '^[^ ]* requires dev\.gpt2java' <<< "$modules") edges into gpt2-java's modules"

# ---- jdeps: the inference jar needs no converter, trainer, Java engine or GGUF code
bindings_jar="$(printf '%s\n' "${entries[@]}" | grep "/gpt2-java-bindings-$version.jar$")" \
    || fail "no gpt2-java-bindings jar on the class path"
deps="$consumer/target/jdeps.txt"
"$java_home/bin/jdeps" --module-path "$bindings_jar" -verbose:package "$main_jar" > "$deps" 2>&1 \
    || fail "jdeps failed on $main_jar:"$'\n'"$(cat "$deps")"
# "   PACKAGE -> PACKAGE MODULE" and "MODULE -> MODULE" lines: what is depended on comes after "->"
targets="$(awk '$2 == "->" { print $3; if (NF > 3) print $4 }' "$deps" | sort -u)"
[[ -n "$targets" ]] || fail "jdeps printed no dependency of $main_jar:"$'\n'"$(cat "$deps")"
if bad="$(grep -E '^(dev\.gpt2java\.(convert|train|jvm|gguf|tools)(\..*)?|jdk\.incubator\.vector)$' <<< "$targets")"; then
    fail "$main_jar depends on:"$'\n'"$bad"$'\n'"(jdeps output: $deps)"
fi
grep -q 'not found' "$deps" && fail "jdeps found unresolved dependencies of $main_jar:"$'\n'"$(grep 'not found' "$deps")"
echo "consumer-test: jdeps $(basename "$main_jar"): modules $(awk '/^[^ ]/ && $2 == "->" { print $3 }' "$deps" | sort -u | paste -sd, -)"
echo "consumer-test: OK ($platform; main jar + $platform jar from the local repository; libgpt2 extracted to $cache)"
