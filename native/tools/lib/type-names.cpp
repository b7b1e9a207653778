// The weight types by the names the tools take on their command lines.
#include "gpt2-tools.h"

#include <cctype>
#include <cstddef>

namespace {

struct type_name { const char * name; int32_t type; };

const type_name k_types[] = {
    { "f32",  GPT2_TYPE_F32 },  { "f16",  GPT2_TYPE_F16 },  { "bf16", GPT2_TYPE_BF16 },
    { "q8_0", GPT2_TYPE_Q8_0 }, { "q4_0", GPT2_TYPE_Q4_0 }, { "q4_1", GPT2_TYPE_Q4_1 },
    { "q5_0", GPT2_TYPE_Q5_0 }, { "q5_1", GPT2_TYPE_Q5_1 },
};

// name == s, ignoring the case of s
bool same_name(const char * name, const char * s) {
    for (; *name && *s; name++, s++) {
        if (std::tolower(static_cast<unsigned char>(*s)) != *name) {
            return false;
        }
    }
    return *name == '\0' && *s == '\0';
}

}  // namespace

int gpt2_tools_parse_type(const char * s, int32_t * out) {
    if (s == nullptr || out == nullptr) {
        return 0;
    }
    for (const type_name & t : k_types) {
        if (same_name(t.name, s)) {
            *out = t.type;
            return 1;
        }
    }
    return 0;
}
