#!/usr/bin/env bash
# Usage: ci/consumer-test.sh
# The artifacts as a user gets them. Installs the build into the local Maven repository
# (./ci/mvn -B -DskipTests install; CONSUMER_SKIP_INSTALL=1 skips it), builds ci/consumer/ offline
# against the installed gpt2-java jar and this platform's classifier jar only, then runs its Main on
# fixtures/tiny-odd-heads/model-f32.gguf with an empty java.library.path and a fresh native cache,
# twice (extracting libgpt2 from the jar, then reusing the cache), and checks what it prints.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fail() { echo "consumer-test: FAIL: $*" >&2; exit 1; }

case "$(uname -s)" in
    Linux) os=linux lib=libgpt2.so ;;
    Darwin) os=macos lib=libgpt2.dylib ;;
    MINGW*|MSYS*|CYGWIN*) os=windows lib=gpt2.dll ;;
    *) fail "unsupported OS $(uname -s)" ;;
esac
case "$(uname -m)" in
    x86_64|amd64) arch=x86_64 ;;
    aarch64|arm64) arch=aarch64 ;;
    *) fail "unsupported CPU $(uname -m)" ;;
esac
platform="$os-$arch"
version=0.1.0-SNAPSHOT
java_home="$(ci/find-jdk.sh)"
model="$root/fixtures/tiny-odd-heads/model-f32.gguf"

if [[ "${CONSUMER_SKIP_INSTALL:-0}" != 1 ]]; then
    ./ci/mvn -B -DskipTests install
fi

consumer="$root/ci/consumer"
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
run() {
    env -u LD_LIBRARY_PATH -u DYLD_LIBRARY_PATH "$java_home/bin/java" --enable-native-access=ALL-UNNAMED \
        -Djava.library.path="$empty" -Dgpt2.native.cache="$cache" \
        -cp "$consumer/target/classes:$cp" example.Main "$model"
}
first="$(run)" || fail "the consumer failed:"$'\n'"$first"
echo "$first"
second="$(run)" || fail "the consumer failed on its second run:"$'\n'"$second"

grep -q "^libgpt2: $cache/.*/$platform/$lib (extracted from jar:file:.*gpt2-java-$version-$platform.jar!/META-INF/native/$platform/$lib)$" \
    <<< "$first" || fail "libgpt2 was not extracted from the $platform jar into $cache"
grep -Eq '^tokens: \[([0-9]+, ){15}[0-9]+\]$' <<< "$first" || fail "no line of 16 generated tokens"
[[ "$(grep '^tokens:' <<< "$first")" == "$(grep '^tokens:' <<< "$second")" ]] || fail "the two runs generated differently"
n="$(find "$cache" -name "$lib" -type f | wc -l)"
[[ "$n" -eq 1 ]] || fail "the cache holds $n copies of $lib, not 1"
echo "consumer-test: OK ($platform; main jar + $platform jar from the local repository; libgpt2 extracted to $cache)"
