/*
 * baseline.h - --baseline FILE: findings already present in an earlier report are not reported
 * again (docs/analyzer.md, "Baseline").
 *
 * A baseline entry is (file as printed, fingerprint). The fingerprint is a 64-bit hash of
 * "ID|FILE|FUNCTION|MESSAGE" with every run of digits in MESSAGE replaced by '#' (line numbers
 * in messages move when code is edited); rccheck's SARIF output carries it as the result's
 * partialFingerprints["rccheck/v1"], and a JSON report's entries are hashed on loading, so both
 * formats are matched the same way.
 *
 * A finding is in the baseline when an unused entry has
 *   - the same file, or one path ends with "/" + the other (runs from another directory), and
 *   - the fingerprint of the finding computed with the entry's file.
 * Each entry absorbs at most one finding (a multiset): a second identical finding is new.
 * Entries whose path equals the finding's are preferred over suffix matches. Findings are taken
 * in run order (files as listed, findings sorted), so the outcome does not depend on -j.
 */
#ifndef RCCHECK_BASELINE_H
#define RCCHECK_BASELINE_H

#include "report/diag.h"

#include <stddef.h>
#include <stdint.h>

struct baseline;

/* Loads a report written by `rccheck --format=json` or `--format=sarif`. Returns NULL with a
 * message in err (without the file name) when the file cannot be read, is not a regular file
 * (a FIFO is refused without blocking), is larger than BASELINE_FILE_MAX, is not JSON, or is not
 * shaped like one of those reports. The limit: a finding with its path takes 1 to 2 KB of
 * JSON, so 1 GiB holds about half a million findings. */
#define BASELINE_FILE_MAX ((size_t)1 << 30)
struct baseline *baseline_load(const char *path, char *err, size_t errlen);
void baseline_free(struct baseline *b);

/* Removes every finding of run that an entry of b absorbs (notes and all); returns how many.
 * Marks entries used, so call it once per run. */
size_t baseline_apply(struct baseline *b, struct diag_run *run);
/* The same for one file; calling it for each file in run order is baseline_apply. */
size_t baseline_apply_file(struct baseline *b, struct diag_file *f);

/* The fingerprint as written in SARIF: 16 lowercase hex digits and a NUL in out. */
void baseline_fingerprint(const char *id, const char *file, const char *function, const char *message,
			  char out[17]);

#endif
