// error.h: the thread-local error message behind gpt2_last_error(), and the guard that keeps
// C++ exceptions from crossing the C API.
#pragma once

#include "gpt2.h"
#include "printf-format.h"

#include <exception>
#include <new>

// Records the message of a failing call on this thread (printf-style) and returns status, so
// that a check reads: if (x < 0) return gpt2_fail(GPT2_ERR_INVALID_ARG, "%s: x < 0", __func__);
gpt2_status gpt2_fail(gpt2_status status, const char * fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(GPT2_PRINTF_FORMAT, 2, 3)))
#endif
    ;

// Runs body (a lambda returning gpt2_status) and turns any C++ exception into a status with a
// message naming func. Every exported function that may throw is wrapped in it.
template <typename F>
gpt2_status gpt2_guard(const char * func, F && body) {
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return gpt2_fail(GPT2_ERR_OUT_OF_MEMORY, "%s: out of memory", func);
    } catch (const std::exception & e) {
        return gpt2_fail(GPT2_ERR_INTERNAL, "%s: %s", func, e.what());
    } catch (...) {
        return gpt2_fail(GPT2_ERR_INTERNAL, "%s: unknown exception", func);
    }
}
