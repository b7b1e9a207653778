# Sourced by the scripts of ci/checks and ci/perf once they have set name (what their messages start
# with) and their options' defaults. Gives:
#
#   die MESSAGE                    "NAME: MESSAGE" on stderr, exit 1
#   take_options VALUED FLAGS ARG...
#       parses the script's arguments ARG... by two lists of its options:
#       VALUED  the options that take a value, each setting the variable of its name: "--rows --max-body"
#               (--max-body 8 sets max_body=8); an option left without a value is an error
#       FLAGS   the options without a value, each with the assignment it makes:
#               "--quick=quick=1 --no-build=build=0 --no-busy=busy_types="; a "--" among them: the
#               arguments after -- on the command line go, as they are, into the array rest_args
#       -h/--help prints the script's header comment (from line 2 to the line before `set -euo`, without
#       the "# ") and exits 0; any other argument is an error.
# shellcheck shell=bash disable=SC2034,SC2154 # name comes from the script; rest_args goes to it
die() { echo "$name: $*" >&2; exit 1; }

take_options() {
    local valued=" ${1//[[:space:]]/ } " flag assignment
    local -a flags
    read -r -a flags <<< "${2//[[:space:]]/ }"
    shift 2
    rest_args=()
    while (( $# > 0 )); do
        if [[ "$1" == -h || "$1" == --help ]]; then
            sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
            exit 0
        elif [[ "$1" == -- && " ${flags[*]-} " == *" -- "* ]]; then
            shift
            rest_args=("$@")
            return 0
        elif [[ "$1" == --* && "$valued" == *" $1 "* ]]; then
            [[ -n "${2:-}" ]] || die "$1 needs a value"
            flag="${1#--}"
            printf -v "${flag//-/_}" '%s' "$2"
            shift
        else
            assignment=""
            for flag in ${flags[@]+"${flags[@]}"}; do
                [[ "${flag%%=*}" == "$1" && "$flag" == *=* ]] && assignment="${flag#*=}"
            done
            [[ -n "$assignment" ]] || die "unknown option '$1' (see --help)"
            printf -v "${assignment%%=*}" '%s' "${assignment#*=}"
        fi
        shift
    done
}
