// error.cpp: thread-local error message and status names.
#include "error.h"

#include <cstdarg>
#include <cstdio>

static thread_local char        g_last_error[1024] = "";
static thread_local gpt2_status g_last_status = GPT2_OK;

gpt2_status gpt2_fail(gpt2_status status, const char * fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(g_last_error, sizeof(g_last_error), fmt, args);
    va_end(args);
    g_last_status = status;
    return status;
}

const char * gpt2_last_error(void) {
    return g_last_error;
}

gpt2_status gpt2_last_status(void) {
    return g_last_status;
}

const char * gpt2_status_name(gpt2_status status) {
    switch (status) {
        case GPT2_OK:                return "GPT2_OK";
        case GPT2_ERR_INVALID_ARG:   return "GPT2_ERR_INVALID_ARG";
        case GPT2_ERR_IO:            return "GPT2_ERR_IO";
        case GPT2_ERR_FORMAT:        return "GPT2_ERR_FORMAT";
        case GPT2_ERR_UNSUPPORTED:   return "GPT2_ERR_UNSUPPORTED";
        case GPT2_ERR_OUT_OF_MEMORY: return "GPT2_ERR_OUT_OF_MEMORY";
        case GPT2_ERR_KV_FULL:       return "GPT2_ERR_KV_FULL";
        case GPT2_ERR_BACKEND:       return "GPT2_ERR_BACKEND";
        case GPT2_ERR_INTERNAL:      return "GPT2_ERR_INTERNAL";
        default:                     return "GPT2_ERR_UNKNOWN";
    }
}

int32_t gpt2_api_version(void) {
    return GPT2_API_VERSION;
}
