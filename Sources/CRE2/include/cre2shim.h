#ifndef CRE2SHIM_H
#define CRE2SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An opaque compiled RE2 pattern.
typedef struct vigil_re2 vigil_re2;

/// Compiles `pattern` (UTF-8, `len` bytes). Returns NULL on error and writes a message into `err`.
vigil_re2 *vigil_re2_new(const char *pattern, size_t len, char *err, size_t errlen);
void vigil_re2_free(vigil_re2 *re);
/// 1 when the whole of `text` matches.
int vigil_re2_full_match(const vigil_re2 *re, const char *text, size_t len);
/// 1 when some part of `text` matches.
int vigil_re2_partial_match(const vigil_re2 *re, const char *text, size_t len);
/// Number of capturing groups.
int vigil_re2_groups(const vigil_re2 *re);
/// The name of capturing group `index` (1-based), or NULL when it is unnamed; owned by the pattern.
const char *vigil_re2_group_name(const vigil_re2 *re, int index);
/// Anchored full match with capture extraction. `starts`/`ends` receive byte offsets (-1 when a group did
/// not take part) for group 0..n, where n <= max_groups. Returns 1 on match.
int vigil_re2_full_match_groups(const vigil_re2 *re, const char *text, size_t len,
                                long *starts, long *ends, int max_groups);
/// Unanchored search starting at byte `pos`; same capture layout as above. Returns 1 on match.
int vigil_re2_search_groups(const vigil_re2 *re, const char *text, size_t len, size_t pos,
                            long *starts, long *ends, int max_groups);

#ifdef __cplusplus
}
#endif

#endif
