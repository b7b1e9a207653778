// test_fuzz_regressions.c: every file of native/fuzz/regressions (inputs that once crashed
// fuzz_model_load, minimized) goes through the loader's fuzz target's steps (exercise-model.h):
// refused with an error status and a message naming the file, or loaded, read and evaluated.
// Under GPT2_SANITIZE (ci/checks/sanitize.sh) a return of the bug is an ASan/UBSan report; in the
// plain build, mostly a crash or an abort from GGML_ASSERT.
#include "gpt2.h"
#include "check.h"

#include "../fuzz/exercise-model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#    include <windows.h>
#else
#    include <dirent.h>
#endif

static int n_files = 0;

static void run_one(const char * dir, const char * name) {
    if (name[0] == '.' || strcmp(name, "README.md") == 0) return;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    const char * broken = gpt2_exercise_model(path);
    CHECK(broken == NULL, "%s: %s", name, broken ? broken : "");
    n_files++;
}

int main(void) {
    const char * dir = getenv("GPT2_FUZZ_REGRESSIONS");
    if (dir == NULL) {
        fprintf(stderr, "test_fuzz_regressions: set GPT2_FUZZ_REGRESSIONS to native/fuzz/regressions\n");
        return 1;
    }
    gpt2_log_set(NULL, NULL, GPT2_LOG_ERROR + 1);  // quiet: the files are refused on purpose
#ifdef _WIN32
    char pattern[4096];
    snprintf(pattern, sizeof(pattern), "%s\\*", dir);
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(pattern, &fd);
    if (h != INVALID_HANDLE_VALUE) {
        do {
            if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) run_one(dir, fd.cFileName);
        } while (FindNextFileA(h, &fd));
        FindClose(h);
    }
#else
    DIR * d = opendir(dir);
    if (d != NULL) {
        for (struct dirent * e = readdir(d); e != NULL; e = readdir(d)) run_one(dir, e->d_name);
        closedir(d);
    }
#endif
    CHECK(n_files > 0, "no regression inputs in %s", dir);
    printf("test_fuzz_regressions: %d files\n", n_files);
    return check_summary("test_fuzz_regressions");
}
