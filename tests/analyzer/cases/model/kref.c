/* Linux-style embedded counts (--model kref): the count is a member of the object and the API
 * takes its address (`kref_put (&dev->ref, dev_release)`), the release callback finds the object
 * with container_of. Self-contained declarations in the shape of include/linux/kref.h and
 * refcount.h (no kernel headers). */
// rccheck-args: --model kref --model kref_case.model
// expect-complete

#include <stddef.h>
#include <stdlib.h>

struct kref {
	int refcount;
};
typedef struct {
	int refs;
} refcount_t;

void kref_init(struct kref *kref);
void kref_get(struct kref *kref);
int kref_put(struct kref *kref, void (*release)(struct kref *kref));
void refcount_set(refcount_t *r, int n);
void refcount_inc(refcount_t *r);
int refcount_dec_and_test(refcount_t *r);

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

struct device {
	const char *name;
	struct kref ref;
};

struct buffer {
	refcount_t refs;
	size_t len;
};

static void device_release(struct kref *kref)
{
	struct device *dev = container_of(kref, struct device, ref);

	free(dev);
}

struct device *device_find(const char *name); /* a new reference, or NULL (kref_case.model) */
int device_start(struct device *dev);

/* ---- must stay silent ---------------------------------------------------------------------- */

void good_device_put(struct device *dev)
{
	kref_put(&dev->ref, device_release);
}

struct device *good_device_get(struct device *dev)
{
	kref_get(&dev->ref);
	return dev;
}

int good_start_balanced(struct device *dev)
{
	int err;

	kref_get(&dev->ref);
	err = device_start(dev);
	kref_put(&dev->ref, device_release);
	return err;
}

void good_buffer_put(struct buffer *buf)
{
	if (refcount_dec_and_test(&buf->refs))
		free(buf);
}

/* ---- must be reported ---------------------------------------------------------------------- */

int bad_start_leaks_on_error(struct device *dev)
{
	kref_get(&dev->ref);
	if (device_start(dev) < 0)
		return -1; // expect-warning{{rc-leak}}
	kref_put(&dev->ref, device_release);
	return 0;
}

void bad_put_twice(const char *name)
{
	struct device *dev = device_find(name);

	if (!dev)
		return;
	kref_put(&dev->ref, device_release);
	/* the second put computes &dev->ref from a released dev: reported as that use */
	kref_put(&dev->ref, device_release); // expect-warning{{rc-use-after-release}}
}

const char *bad_name_after_put(const char *name)
{
	struct device *dev = device_find(name);
	const char *n;

	if (!dev)
		return NULL;
	kref_put(&dev->ref, device_release);
	n = dev->name; // expect-warning{{rc-use-after-release}}
	return n;
}

size_t bad_buffer_get_kept(struct buffer *buf)
{
	size_t len;

	refcount_inc(&buf->refs);
	len = buf->len;
	return len; // expect-warning{{rc-leak}}
}
