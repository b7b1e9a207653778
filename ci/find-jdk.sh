#!/usr/bin/env bash
# Prints the JAVA_HOME of a JDK >= 25 (the project's minimum): $JAVA_HOME when it is one, else the
# newest such JDK in the usual install folders. Fails with a clear message when there is none.
set -euo pipefail

MIN=25

# The feature version of the JDK at $1 (from its `release` file; "1.8.0_x" counts as 8), or empty.
jdk_major() {
    local v
    [[ -x "$1/bin/javac" && -f "$1/release" ]] || return 0
    v="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$1/release")"
    v="${v#1.}"
    echo "${v%%[!0-9]*}"
}

if [[ -n "${JAVA_HOME:-}" ]]; then
    m="$(jdk_major "$JAVA_HOME")"
    if [[ -n "$m" ]] && (( m >= MIN )); then
        echo "$JAVA_HOME"
        exit 0
    fi
    echo "find-jdk: JAVA_HOME=$JAVA_HOME is not a JDK >= $MIN; looking elsewhere" >&2
fi

best="" best_v=""
for d in /usr/lib/jvm/* /usr/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
         "$HOME"/.sdkman/candidates/java/*; do
    [[ -d "$d" ]] || continue
    m="$(jdk_major "$d")"
    [[ -n "$m" ]] && (( m >= MIN )) || continue
    v="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$d/release")"
    # keep the newest: version sort of the two
    if [[ -z "$best" || "$(printf '%s\n%s\n' "$best_v" "$v" | sort -V | tail -n 1)" == "$v" ]]; then
        best="$d" best_v="$v"
    fi
done

if [[ -z "$best" ]]; then
    echo "find-jdk: no JDK >= $MIN found (looked at JAVA_HOME, /usr/lib/jvm, /usr/java," \
         "/Library/Java/JavaVirtualMachines, ~/.sdkman). Install one, or set JAVA_HOME to it." >&2
    exit 1
fi
echo "$best"
