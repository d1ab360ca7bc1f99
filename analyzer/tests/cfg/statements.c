/* --dump-cfg golden test: statement forms. */
#include <stdlib.h>

void *mk(void);
void use(void *p);
void drop(void *p);

int if_else(int c)
{
	if (c)
		return 1;
	else
		return 2;
}

void loops(int n)
{
	int i;
	while (n > 0)
		n--;
	do {
		n++;
		if (n == 3)
			continue;
		if (n == 5)
			break;
	} while (n < 10);
	for (i = 0; i < n; i++)
		use(0);
	for (;;) {
		if (n)
			break;
	}
}

int switch_fallthrough(int k)
{
	int r = 0;
	switch (k) {
	case 1:
		r = 1;
		/* fallthrough */
	case 2:
		r = 2;
		break;
	default:
		r = 3;
	}
	return r;
}

int goto_cleanup(void)
{
	int ret = -1;
	void *a = mk();
	if (!a)
		goto out;
	ret = 0;
	drop(a);
out:
	return ret;
}

void noreturn_calls(void *p)
{
	if (!p)
		abort();
	use(p);
}
