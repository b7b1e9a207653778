// gguf-read.cpp: the checked parse of a GGUF header (gguf-read.h).
#include "gguf-read.h"

#include "log.h"
#include "text.h"

#include <vector>

gguf_context * gpt2_gguf_parse(const gpt2_file_map & file, ggml_context ** ctx, const char * fn, const std::string & path,
                               std::string & why) {
    // ggml's gguf.cpp holds the rules of a well-formed GGUF
    std::vector<gpt2_log_line> ggml_lines;
    gguf_init_params gp = { /*no_alloc =*/ true, /*ctx =*/ ctx };
    gpt2_log_capture(&ggml_lines);
    gguf_context * g = gguf_init_from_buffer(file.addr, file.size, gp);
    gpt2_log_capture(nullptr);
    for (const gpt2_log_line & l : ggml_lines) {
        GPT2_LOG_D("%s: %s: ggml: %s", fn, path.c_str(), gpt2_printable(l.text, 200).c_str());
    }
    if (g == nullptr) {
        for (const gpt2_log_line & l : ggml_lines) {
            if (l.level == GPT2_LOG_ERROR && !l.text.empty()) {
                why = gpt2_printable(l.text, 160);
                break;
            }
        }
    }
    return g;
}
