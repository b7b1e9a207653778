// test_make_model.c: the gpt2-make-model tool's command line, run as a program ($GPT2_MAKE_MODEL,
// which CMake sets to the built tool). Each option reaches the file (the tool writes the bytes
// gpt2_write_random_model writes for the same parameters); a shape that cannot be written, a value
// that is not one, an unknown or incomplete option are each refused with exit status 2, a message
// on stderr that names the option or field, and no file left behind.
#include "gpt2.h"
#include "gpt2-tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if !defined(_WIN32)
#include <sys/wait.h>
#endif

#include "check.h"

static const char * g_tool;
static char g_dir[1024];

static char * read_all(const char * path, long * n) {
    *n = -1;
    FILE * f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char * buf = malloc((size_t) *n + 1);
    if (fread(buf, 1, (size_t) *n, f) != (size_t) *n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) buf[*n] = '\0';
    return buf;
}

static int exists(const char * path) {
    FILE * f = fopen(path, "rb");
    if (f) fclose(f);
    return f != NULL;
}

// Runs the tool with args (appended to its path as they are) and returns its exit status (-1 if it
// did not exit normally); its stdout and stderr go to *output (malloc'd).
static int run_tool(const char * args, char ** output) {
    char log[1100], cmd[4096];
    snprintf(log, sizeof(log), "%s/make-model.log", g_dir);
#if defined(_WIN32)
    // system() runs cmd /c, which drops the line's first and last quote: one more pair around it all
    snprintf(cmd, sizeof(cmd), "\"\"%s\" %s > \"%s\" 2>&1\"", g_tool, args, log);
#else
    snprintf(cmd, sizeof(cmd), "\"%s\" %s > \"%s\" 2>&1", g_tool, args, log);
#endif
    int st = system(cmd);
#if !defined(_WIN32)
    st = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
#endif
    long n = 0;
    *output = read_all(log, &n);
    if (*output == NULL) *output = calloc(1, 1);
    remove(log);
    return st;
}

// The tool must refuse options (after --out PATH) with status 2, a message naming what, and no file.
static void expect_refused(const char * options, const char * what) {
    char out[1100], args[2048];
    snprintf(out, sizeof(out), "%s/make-model-refused.gguf", g_dir);
    remove(out);
    snprintf(args, sizeof(args), "--out \"%s\" %s", out, options);
    char * msg = NULL;
    int st = run_tool(args, &msg);
    CHECK(st == 2, "'%s': exit status %d, expected 2 (%s)", options, st, msg);
    CHECK(strncmp(msg, "gpt2-make-model: ", 17) == 0 && strstr(msg, what) != NULL,
          "'%s': the message does not name '%s': %s", options, what, msg);
    CHECK(!exists(out), "'%s': a file was left", options);
    free(msg);
    remove(out);
}

// The tool's file for options equals gpt2_write_random_model's for p.
static void expect_written(const char * options, const gpt2_random_model_params * p) {
    char out[1100], ref[1100], args[2048];
    snprintf(out, sizeof(out), "%s/make-model-tool.gguf", g_dir);
    snprintf(ref, sizeof(ref), "%s/make-model-ref.gguf", g_dir);
    snprintf(args, sizeof(args), "--out \"%s\" %s", out, options);
    char * msg = NULL;
    int st = run_tool(args, &msg);
    CHECK(st == 0, "'%s': exit status %d: %s", options, st, msg);
    free(msg);
    CHECK(gpt2_write_random_model(ref, p) == GPT2_OK, "'%s': reference file: %s", options, gpt2_tools_last_error());
    long na = 0, nb = 0;
    char * a = read_all(out, &na);
    char * b = read_all(ref, &nb);
    CHECK(a && b && na == nb && memcmp(a, b, (size_t) na) == 0,
          "'%s': the tool's file (%ld bytes) is not gpt2_write_random_model's (%ld bytes)", options, na, nb);
    free(a);
    free(b);
    remove(out);
    remove(ref);
}

int main(void) {
    g_tool = getenv("GPT2_MAKE_MODEL");
    const char * tmp = getenv("GPT2_TEST_TMPDIR");
    if (g_tool == NULL || g_tool[0] == '\0') {
        fprintf(stderr, "test_make_model: set GPT2_MAKE_MODEL to the gpt2-make-model program\n");
        return 1;
    }
    snprintf(g_dir, sizeof(g_dir), "%s", tmp && tmp[0] ? tmp : ".");

    // defaults, and every option
    const gpt2_random_model_params d = gpt2_random_model_default_params();
    expect_written("", &d);
    gpt2_random_model_params p = d;
    p.n_vocab = 300; p.n_ctx = 40; p.n_embd = 48; p.n_head = 3; p.n_layer = 3;
    p.weight_type = GPT2_TYPE_F16; p.tied_output = 0; p.seed = 5; p.scale = 0.1f;
    expect_written("--vocab 300 --ctx 40 --embd 48 --head 3 --layer 3 --type F16 --untied --seed 5 --scale 0.1", &p);
    p = d;
    p.n_embd = 48;  // not a multiple of 32: fine for a type without blocks
    p.weight_type = GPT2_TYPE_BF16;
    expect_written("--embd 48 --type bf16", &p);
    p = d;
    p.n_embd = 96; p.n_head = 3; p.weight_type = GPT2_TYPE_Q8_0;
    expect_written("--embd 96 --head 3 --type q8_0", &p);

    // shapes the writer refuses (its message names the field)
    expect_refused("--vocab 256", "n_vocab");
    expect_refused("--vocab 1048577", "n_vocab");
    expect_refused("--ctx 0", "n_ctx");
    expect_refused("--embd 1073741824", "n_embd");
    expect_refused("--embd 66", "multiple of n_head");
    expect_refused("--embd 48 --type q8_0", "multiple of 32");
    expect_refused("--head 0", "n_head");
    expect_refused("--layer 0", "n_layer");
    expect_refused("--layer 1025", "n_layer");
    expect_refused("--scale 1000", "scale");
    // values the tool refuses itself
    expect_refused("--scale 0", "--scale");
    expect_refused("--scale -1", "--scale");
    expect_refused("--scale nan", "--scale");
    expect_refused("--scale inf", "--scale");
    expect_refused("--vocab abc", "--vocab");
    expect_refused("--ctx 4294967296", "--ctx");
    expect_refused("--seed -1", "--seed");
    expect_refused("--type q6_k", "--type");
    expect_refused("--tied", "unknown option --tied");
    expect_refused("--layer", "--layer needs a value");

    // no --out
    char * msg = NULL;
    int st = run_tool("--vocab 300", &msg);
    CHECK(st == 2 && strstr(msg, "--out is required") != NULL, "no --out: status %d: %s", st, msg);
    free(msg);
    // --help: the usage, status 0
    st = run_tool("--help", &msg);
    CHECK(st == 0 && strstr(msg, "usage: gpt2-make-model") != NULL, "--help: status %d: %s", st, msg);
    free(msg);

    return check_summary("test_make_model");
}
