/* rc-inconsistent without any model (DESIGN.md: "found without any API model"): the count
 * changes come from direct count updates (d->refcnt++) and, as docs/model-format.md says, from
 * one-argument calls with count-like names (*_get / *_put). Kernel-style code. */

struct device {
	int refcnt;
	int state;
	struct device *parent;
};

void dev_get(struct device *d);
void dev_put(struct device *d);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_get_put_balanced(struct device *d)
{
	if (d->state == 0)
		return 0;
	dev_get(d);
	d->state++;
	dev_put(d);
	return 0;
}

int good_every_success_takes_a_count(struct device *d, int fast)
{
	if (d->state < 0)
		return -1;
	if (fast) {
		d->refcnt++;
		return 0;
	}
	dev_get(d);
	return 0;
}

/* ---- must fire ------------------------------------------------------------------------------ */

int bad_open_first_time_without_count(struct device *d)
{
	if (d->state < 0)
		return -1;
	if (d->state == 0) {
		d->state = 1;
		return 0;
	}
	dev_get(d);
	d->state++;
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_direct_count_on_slow_path_only(struct device *d, int fast)
{
	if (fast)
		return 0;
	d->refcnt++;
	return 0; // expect-warning{{rc-inconsistent}}
}

int bad_put_on_one_error_path(struct device *d)
{
	if (d->state == 1) {
		dev_put(d);
		return -1;
	}
	if (d->state == 2)
		return -1; // expect-warning{{rc-inconsistent}}
	return 0;
}
