// The number parsers of the tools' command lines (gpt2-tools.h, "Command lines").
#include "gpt2-tools.h"

#include <cerrno>
#include <cfloat>
#include <cstdlib>
#include <cstring>

int gpt2_tools_parse_i32(const char * s, int32_t * out) {
    if (s == nullptr || out == nullptr) return 0;
    char * end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < INT32_MIN || v > INT32_MAX) return 0;
    *out = (int32_t) v;
    return 1;
}

int gpt2_tools_parse_u64(const char * s, uint64_t * out) {
    if (s == nullptr || out == nullptr || s[0] == '-') return 0;   // (strtoull would wrap a minus sign)
    char * end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0') return 0;
    *out = (uint64_t) v;
    return 1;
}

int gpt2_tools_parse_f32(const char * s, float * out) {
    if (s == nullptr || out == nullptr) return 0;
    char * end = nullptr;
    const float v = std::strtof(s, &end);
    if (end == s || *end != '\0' || !(v >= -FLT_MAX && v <= FLT_MAX)) return 0;
    *out = v;
    return 1;
}

int gpt2_tools_is_option(const char * arg, const char * const * names, size_t n) {
    for (size_t k = 0; k < n; k++) {
        if (std::strcmp(arg, names[k]) == 0) return 1;
    }
    return 0;
}
