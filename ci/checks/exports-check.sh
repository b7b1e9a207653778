# exports-check.sh: sourced by ci/checks/platform-common.sh (which defines fail). check_exports LIB EXPORTS
# holds the exported names EXPORTS (one per line) of the library LIB to the API: exactly the gpt2_*
# functions that gpt2.h and gpt2-train.h declare (GPT2_API), and among them every symbol the Java
# bindings look up by name (LibraryLookup.findOrNull). Prints "API_COUNT JAVA_COUNT" for the caller's line.
check_exports() {
    local lib="$1" exports="$2" root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    local api missing extra java_syms unresolved
    api="$(grep -ho 'GPT2_API[^(;]*\bgpt2_[a-z0-9_]*[[:space:]]*(' "$root/native/include/gpt2.h" "$root/native/include/gpt2-train.h" \
        | sed 's/.*\(gpt2_[a-z0-9_]*\)[[:space:]]*($/\1/' | sort -u)"
    missing="$(comm -23 <(echo "$api") <(echo "$exports"))"
    extra="$(comm -13 <(echo "$api") <(echo "$exports"))"
    [[ -z "$missing" ]] || fail "$lib does not export: $(echo $missing)"
    [[ -z "$extra" ]] || fail "$lib exports more than the headers declare: $(echo $extra)"
    java_syms="$(grep -rhoE 'LibraryLookup\.findOrNull\("gpt2_[a-z0-9_]+"\)' "$root/bindings/src/main/java" | sed 's/.*"\(.*\)".*/\1/' | sort -u)"
    [[ -n "$java_syms" ]] || fail "found no LibraryLookup.findOrNull(\"gpt2_...\") in bindings/src/main/java"
    unresolved="$(comm -23 <(echo "$java_syms") <(echo "$exports"))"
    [[ -z "$unresolved" ]] || fail "the Java bindings look up what $lib does not export: $(echo $unresolved)"
    echo "$(echo "$api" | wc -l) $(echo "$java_syms" | wc -l)"
}
