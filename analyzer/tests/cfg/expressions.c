/* --dump-cfg golden test: expression forms. */
void *mk(void);
void use(void *p);
int check(void *p);

int logical(void *a, void *b)
{
	if (a && b)
		return 1;
	if (a || check(b) < 0)
		return 2;
	return 0;
}

void *conditional(void *a)
{
	void *x = a ? a : mk();
	return x;
}

int comma_and_stmt_expr(void)
{
	void *x;
	int n = (x = mk(), x != 0);
	int m = ({ int t = check(x); t + 1; });
	return n + m;
}

void fields(struct s { void *f; } *p, void *v)
{
	p->f = v;
	use(p->f);
}
