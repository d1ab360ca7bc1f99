/* clang's CoreFoundation ownership attributes on out-parameters, read from the declarations
 * like the runtime's annotations: cf_returns_retained on a `CFTypeRef *` parameter stores a
 * reference the caller owns, cf_returns_not_retained one it borrows (clang's
 * RetainCountChecker reads them the same way). The result and cf_consumed forms are in
 * cpychecker.c. (os_returns_retained, os_consumed and os_returns_retained_on_zero/non_zero are
 * for C++ OSObject pointers: clang drops them from C declarations, so C code cannot carry them.) */
// rccheck-args: --model cf_attributes.model
// expect-complete

typedef const void *CFTypeRef;
typedef struct __CFString *CFStringRef;

void CFRelease(CFTypeRef cf);
CFTypeRef CFRetain(CFTypeRef cf);
#define CF_RETURNS_RETAINED __attribute__((cf_returns_retained))

int prefs_copy_value(const char *key, CFTypeRef *value CF_RETURNS_RETAINED);
int prefs_get_value(const char *key, CFTypeRef *value __attribute__((cf_returns_not_retained)));
void show(CFTypeRef v);

/* ---- must stay silent ---------------------------------------------------------------------- */

void good_copy_released(void)
{
	CFTypeRef v = 0;

	prefs_copy_value("k", &v);
	show(v);
	CFRelease(v);
}

void good_get_borrowed(void)
{
	CFTypeRef v = 0;

	prefs_get_value("k", &v);
	show(v);
}

/* ---- must be reported ---------------------------------------------------------------------- */

void bad_copy_leaked(void)
{
	CFTypeRef v = 0;

	prefs_copy_value("k", &v);
	show(v);
} // expect-warning{{rc-leak}}

void bad_get_released(int verbose)
{
	CFTypeRef v = 0;

	prefs_get_value("k", &v);
	if (verbose)
		CFRelease(v); // expect-warning{{rc-release-borrowed}}
}
