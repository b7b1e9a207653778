// tools-error.cpp: the tools library's own error message, behind gpt2_tools_last_error().
//
// The code shared with libgpt2 (gguf-writer.cpp) reports failures with error.h's gpt2_fail. libgpt2
// keeps its definition hidden inside the shared library, so a program linked with both gets this
// one for the tools library's code: the message lands here, and libgpt2's gpt2_last_error() keeps
// its own.
#include "gpt2-tools.h"

#include "error.h"

#include <cstdarg>
#include <cstdio>

static thread_local char g_last_error[1024] = "";

gpt2_status gpt2_fail(gpt2_status status, const char * fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(g_last_error, sizeof(g_last_error), fmt, args);
    va_end(args);
    return status;
}

extern "C" const char * gpt2_tools_last_error(void) {
    return g_last_error;
}
