#include "cre2shim.h"

#include <re2/re2.h>
#include <cstring>
#include <map>
#include <string>
#include <vector>

struct vigil_re2 {
    re2::RE2 re;
    explicit vigil_re2(const re2::StringPiece &p, const re2::RE2::Options &o) : re(p, o) {}
};

extern "C" vigil_re2 *vigil_re2_new(const char *pattern, size_t len, char *err, size_t errlen) {
    re2::RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_dot_nl(true);
    auto *r = new vigil_re2(re2::StringPiece(pattern, len), opts);
    if (!r->re.ok()) {
        if (err && errlen > 0) {
            std::strncpy(err, r->re.error().c_str(), errlen - 1);
            err[errlen - 1] = 0;
        }
        delete r;
        return nullptr;
    }
    return r;
}

extern "C" void vigil_re2_free(vigil_re2 *re) { delete re; }

extern "C" int vigil_re2_full_match(const vigil_re2 *re, const char *text, size_t len) {
    return re2::RE2::FullMatch(re2::StringPiece(text, len), re->re) ? 1 : 0;
}

extern "C" int vigil_re2_partial_match(const vigil_re2 *re, const char *text, size_t len) {
    return re2::RE2::PartialMatch(re2::StringPiece(text, len), re->re) ? 1 : 0;
}

extern "C" int vigil_re2_groups(const vigil_re2 *re) { return re->re.NumberOfCapturingGroups(); }

extern "C" const char *vigil_re2_group_name(const vigil_re2 *re, int index) {
    const std::map<int, std::string> &names = re->re.CapturingGroupNames();
    auto it = names.find(index);
    return it == names.end() ? nullptr : it->second.c_str();
}

static int match_groups(const vigil_re2 *re, const char *text, size_t len, size_t pos,
                        re2::RE2::Anchor anchor, long *starts, long *ends, int max_groups) {
    int n = re->re.NumberOfCapturingGroups() + 1;
    if (n > max_groups + 1) n = max_groups + 1;
    std::vector<re2::StringPiece> sub(n);
    re2::StringPiece input(text, len);
    if (!re->re.Match(input, pos, len, anchor, sub.data(), n)) return 0;
    for (int i = 0; i < n; i++) {
        if (sub[i].data() == nullptr) {
            starts[i] = -1;
            ends[i] = -1;
        } else {
            starts[i] = (long)(sub[i].data() - text);
            ends[i] = starts[i] + (long)sub[i].size();
        }
    }
    for (int i = n; i <= max_groups; i++) { starts[i] = -1; ends[i] = -1; }
    return 1;
}

extern "C" int vigil_re2_full_match_groups(const vigil_re2 *re, const char *text, size_t len,
                                           long *starts, long *ends, int max_groups) {
    return match_groups(re, text, len, 0, re2::RE2::ANCHOR_BOTH, starts, ends, max_groups);
}

extern "C" int vigil_re2_search_groups(const vigil_re2 *re, const char *text, size_t len, size_t pos,
                                       long *starts, long *ends, int max_groups) {
    return match_groups(re, text, len, pos, re2::RE2::UNANCHORED, starts, ends, max_groups);
}
