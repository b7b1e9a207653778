#!/usr/bin/env bash
# Usage: ci/release/assemble-jars.sh NATIVES_DIR OUT_DIR
# The last job of the release workflow (ci/release/release.yml), runnable by hand: from the platform
# folders that ci/release/build-platform.sh left in NATIVES_DIR (NATIVES_DIR/<platform>/META-INF/
# native/<platform>/), makes one classifier jar per platform, gpt2-java-<version>-<platform>.jar,
# beside the Java jars (gpt2-java, gpt2-java-bindings, gpt2-java-cli: built here with
# -Dgpt2.native.skip=true, no library in them) and their poms, in OUT_DIR. Checks each platform
# folder first: an index.txt whose every file is there, and the platform's library among them.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 NATIVES_DIR OUT_DIR" >&2; exit 2; }
natives="$(cd "$1" && pwd)"
out="$(mkdir -p "$2" && cd "$2" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
fail() { echo "assemble-jars: FAIL: $*" >&2; exit 1; }

java_home="$(ci/find-jdk.sh)"
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)"
[[ -n "$version" ]] || fail "no <version> in pom.xml"

platforms=()
for d in "$natives"/*/META-INF/native/*/; do
    [[ -d "$d" ]] || continue
    platform="$(basename "$d")"
    [[ "$(basename "$(dirname "$(dirname "$(dirname "$d")")")")" == "$platform" ]] \
        || fail "$d is not under $natives/$platform/"
    case "$platform" in
        windows-*) lib=libgpt2.dll ;;
        macos-*) lib=libgpt2.dylib ;;
        *) lib=libgpt2.so ;;
    esac
    [[ -f "$d/index.txt" ]] || fail "$d has no index.txt"
    grep -qx "$lib" "$d/index.txt" || fail "$d/index.txt does not list $lib"
    while read -r line; do
        [[ -z "$line" || "$line" == \#* ]] && continue
        [[ -f "$d/${line#backend }" ]] || fail "$d/index.txt lists ${line#backend }, which is missing"
    done < "$d/index.txt"
    platforms+=("$platform")
done
(( ${#platforms[@]} )) || fail "no platform folder under $natives"

# the Java jars, without any library (a release's main jar never holds natives anyway)
./ci/mvn -B -DskipTests -Dgpt2.native.skip=true package
cp pom.xml "$out/gpt2-java-parent-$version.pom"
# folder:artifact of each published module
for m in core:gpt2-java bindings:gpt2-java-bindings gguf:gpt2-java-gguf engine-java:gpt2-java-engine-java \
         tools:gpt2-java-tools cli:gpt2-java-cli; do
    cp "${m%%:*}/target/${m#*:}-$version.jar" "$out/"
    cp "${m%%:*}/pom.xml" "$out/${m#*:}-$version.pom"
done

for platform in "${platforms[@]}"; do
    jar="$out/gpt2-java-$version-$platform.jar"
    manifest="$(mktemp)"
    printf 'Implementation-Title: gpt2-java natives %s\nImplementation-Version: %s\n' "$platform" "$version" > "$manifest"
    rm -f "$jar"
    "$java_home/bin/jar" --create --file "$jar" --manifest "$manifest" -C "$natives/$platform" META-INF/native
    rm -f "$manifest"
    n="$("$java_home/bin/jar" --list --file "$jar" | grep -c "^META-INF/native/$platform/[^/]")"
    echo "assemble-jars: $(basename "$jar"): $n files"
done
echo "assemble-jars: $out:"
ls -l "$out"
