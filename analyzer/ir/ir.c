/*
 * ir.c - building, compacting, checking and printing the IR (ir.h; docs/analyzer.md).
 */
#include "ir/ir.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Arena                                                                                       */
/* ------------------------------------------------------------------------------------------ */

struct ir_arena_block {
	struct ir_arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

void *ir_alloc(struct ir_arena *a, size_t size)
{
	size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct ir_arena_block *b = a->head;
	if (!b || b->cap - b->used < size) {
		size_t cap = size > 32768 ? size : 32768;
		b = malloc(sizeof *b + cap);
		if (!b) {
			fputs("rccheck: error: out of memory\n", stderr);
			abort();
		}
		b->cap = cap;
		b->used = 0;
		a->bytes += sizeof *b + cap;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

char *ir_strdup(struct ir_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = ir_alloc(a, n);
	memcpy(p, s, n);
	return p;
}

void ir_arena_free(struct ir_arena *a)
{
	struct ir_arena_block *b = a->head;
	while (b) {
		struct ir_arena_block *n = b->next;
		free(b);
		b = n;
	}
	a->head = NULL;
	a->bytes = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Building                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void *grow_array(void *p, uint32_t *cap, size_t elem)
{
	uint32_t n = *cap ? *cap * 2 : 128;
	void *q = realloc(p, (size_t)n * elem);
	if (!q) {
		fputs("rccheck: error: out of memory\n", stderr);
		abort();
	}
	*cap = n;
	return q;
}

void ir_func_init(struct ir_func *fn, struct ir_arena *arena, const char *name, const char *file)
{
	memset(fn, 0, sizeof *fn);
	fn->arena = arena;
	fn->name = ir_strdup(arena, name);
	fn->file = file;
}

size_t ir_func_bytes(const struct ir_func *fn)
{
	return (size_t)fn->cap_nodes * sizeof *fn->nodes + (size_t)fn->cap_ops * sizeof *fn->ops +
	       (size_t)fn->cap_vars * sizeof *fn->vars;
}

void ir_func_free(struct ir_func *fn)
{
	free(fn->nodes);
	free(fn->ops);
	free(fn->vars);
	fn->nodes = NULL;
	fn->ops = NULL;
	fn->vars = NULL;
	fn->nnodes = fn->nops = fn->nvars = 0;
}

void ir_add_alias(struct ir_func *fn, const char *name, const char *shown)
{
	for (const struct ir_alias *a = fn->aliases; a; a = a->next)
		if (!strcmp(a->name, name))
			return;
	struct ir_alias *a = ir_alloc(fn->arena, sizeof *a);
	a->name = name;
	a->shown = shown;
	a->next = fn->aliases;
	fn->aliases = a;
}

const char *ir_global_shown(const struct ir_func *fn, const char *name)
{
	for (const struct ir_alias *a = fn->aliases; a && name; a = a->next)
		if (!strcmp(a->name, name))
			return a->shown;
	return name;
}

int32_t ir_add_var(struct ir_func *fn, const char *name, unsigned flags, int32_t param)
{
	if (fn->nvars == fn->cap_vars)
		fn->vars = grow_array(fn->vars, &fn->cap_vars, sizeof *fn->vars);
	struct ir_var *v = &fn->vars[fn->nvars];
	v->name = name;
	v->flags = (uint8_t)flags;
	v->param = param;
	return (int32_t)fn->nvars++;
}

int32_t ir_add_node(struct ir_func *fn, enum ir_op op, struct ir_loc loc)
{
	if (fn->nnodes == fn->cap_nodes)
		fn->nodes = grow_array(fn->nodes, &fn->cap_nodes, sizeof *fn->nodes);
	struct ir_node *n = &fn->nodes[fn->nnodes];
	memset(n, 0, sizeof *n);
	n->op = (uint8_t)op;
	n->succ[0] = n->succ[1] = -1;
	n->dest = -1;
	n->arg0 = fn->nops;
	n->callee_fn = -1;
	n->loc = loc;
	return (int32_t)fn->nnodes++;
}

void ir_add_operand(struct ir_func *fn, int32_t node, struct ir_operand op)
{
	if (fn->nops == fn->cap_ops)
		fn->ops = grow_array(fn->ops, &fn->cap_ops, sizeof *fn->ops);
	assert(node >= 0 && (uint32_t)node < fn->nnodes);
	struct ir_node *n = &fn->nodes[node];
	/* a node's operands are contiguous: only the node whose operands were appended last can
	 * get more */
	assert(n->nargs == 0 || n->arg0 + n->nargs == fn->nops);
	if (n->nargs == 0)
		n->arg0 = fn->nops;
	fn->ops[fn->nops++] = op;
	n->nargs++;
}

struct ir_operand ir_var_opnd(int32_t var)
{
	struct ir_operand o = { IR_OPND_VAR, var, 0, NULL };
	return o;
}

struct ir_operand ir_int_opnd(int64_t v)
{
	struct ir_operand o = { IR_OPND_INT, -1, v, NULL };
	return o;
}

struct ir_operand ir_kind_opnd(enum ir_opnd_kind kind)
{
	struct ir_operand o = { (uint8_t)kind, -1, 0, NULL };
	return o;
}

/* ------------------------------------------------------------------------------------------ */
/* Compaction                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* Follows chains of plain IR_NOP nodes (one successor) from n; stops at cycles. */
static int32_t skip_nops(const struct ir_func *fn, int32_t n)
{
	int32_t slow = n;
	int steps = 0;
	while (n >= 0 && n != 0 && fn->nodes[n].op == IR_NOP && fn->nodes[n].succ[0] >= 0) {
		n = fn->nodes[n].succ[0];
		if (++steps % 2 == 0)
			slow = fn->nodes[slow].succ[0];
		if (n == slow)
			break; /* an empty infinite loop: keep the NOP */
	}
	return n;
}

void ir_compact(struct ir_func *fn)
{
	uint32_t nn = fn->nnodes;
	if (nn == 0)
		return;
	for (uint32_t i = 0; i < nn; i++)
		for (int s = 0; s < 2; s++)
			if (fn->nodes[i].succ[s] >= 0)
				fn->nodes[i].succ[s] = skip_nops(fn, fn->nodes[i].succ[s]);
	/* reachability from the entry, in depth-first order */
	int32_t *map = malloc(nn * sizeof *map);
	int32_t *stack = malloc((nn + 1) * sizeof *stack);
	if (!map || !stack) {
		fputs("rccheck: error: out of memory\n", stderr);
		abort();
	}
	for (uint32_t i = 0; i < nn; i++)
		map[i] = -1;
	uint32_t sp = 0;
	int32_t next = 0;
	map[0] = next++;
	stack[sp++] = 0;
	uint8_t *seen = calloc(nn, 1);
	if (!seen)
		abort();
	seen[0] = 1;
	/* number nodes in order of their index among reachable ones (stable, readable dumps) */
	while (sp) {
		int32_t n = stack[--sp];
		for (int s = 1; s >= 0; s--) {
			int32_t t = fn->nodes[n].succ[s];
			if (t >= 0 && !seen[t]) {
				seen[t] = 1;
				stack[sp++] = t;
			}
		}
	}
	next = 0;
	for (uint32_t i = 0; i < nn; i++)
		if (seen[i])
			map[i] = next++;
	free(seen);
	for (uint32_t i = 0; i < nn; i++) {
		if (map[i] < 0)
			continue;
		struct ir_node n = fn->nodes[i];
		for (int s = 0; s < 2; s++)
			if (n.succ[s] >= 0)
				n.succ[s] = map[n.succ[s]];
		fn->nodes[map[i]] = n;
	}
	fn->nnodes = (uint32_t)next;
	free(map);
	free(stack);
}

uint32_t *ir_pred_counts(const struct ir_func *fn)
{
	uint32_t *p = calloc(fn->nnodes ? fn->nnodes : 1, sizeof *p);
	if (!p)
		abort();
	for (uint32_t i = 0; i < fn->nnodes; i++)
		for (int s = 0; s < 2; s++)
			if (fn->nodes[i].succ[s] >= 0)
				p[fn->nodes[i].succ[s]]++;
	return p;
}

/* One violation: printed to err (when not NULL) as "FUNCTION: node N: WHAT". */
static int violation(const struct ir_func *fn, FILE *err, uint32_t node, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int violation(const struct ir_func *fn, FILE *err, uint32_t node, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		fprintf(err, "%s: node %u: ", fn->name ? fn->name : "?", node);
		vfprintf(err, fmt, ap);
		fputc('\n', err);
		va_end(ap);
	}
	return -1;
}

static int bad_var(const struct ir_func *fn, int32_t v)
{
	return v < 0 || (uint32_t)v >= fn->nvars;
}

int ir_check(const struct ir_func *fn, FILE *err)
{
	if (fn->nnodes == 0)
		return violation(fn, err, 0, "no entry node");
	for (uint32_t i = 0; i < fn->nnodes; i++) {
		const struct ir_node *n = &fn->nodes[i];
		if (n->op > IR_COUNT)
			return violation(fn, err, i, "bad op %u", (unsigned)n->op);
		for (int s = 0; s < 2; s++)
			if (n->succ[s] < -1 || n->succ[s] >= (int32_t)fn->nnodes)
				return violation(fn, err, i, "bad successor %d", (int)n->succ[s]);
		if (n->succ[1] != -1 && n->op != IR_BRANCH)
			return violation(fn, err, i, "two successors on a %s", ir_op_name(n->op));
		if ((n->op == IR_RETURN || (n->op == IR_CALL && (n->flags & IR_NODE_NORETURN))) && n->succ[0] != -1)
			return violation(fn, err, i, "successor after a %s", ir_op_name(n->op));
		if (n->arg0 > fn->nops || n->nargs > fn->nops - n->arg0)
			return violation(fn, err, i, "operands out of range (%u from %u)", n->nargs, n->arg0);
		const struct ir_operand *a = ir_args(fn, n);
		for (uint32_t k = 0; k < n->nargs; k++) {
			const struct ir_operand *o = &a[k];
			if (o->kind > IR_OPND_FIELD)
				return violation(fn, err, i, "operand %u of bad kind %u", k, (unsigned)o->kind);
			int bad = (o->kind == IR_OPND_VAR || o->kind == IR_OPND_ADDR) && bad_var(fn, o->var);
			bad |= (o->kind == IR_OPND_LOAD || o->kind == IR_OPND_FIELD) && (o->var < -2 || o->var >= (int32_t)fn->nvars);
			if (bad)
				return violation(fn, err, i, "operand %u: bad var %d", k, (int)o->var);
		}
		switch (n->op) {
		case IR_ASSIGN:
			if (bad_var(fn, n->dest))
				return violation(fn, err, i, "assignment to bad var %d", (int)n->dest);
			if (n->nargs != 1)
				return violation(fn, err, i, "assignment of %u operands", n->nargs);
			break;
		case IR_CALL:
			if (n->dest != -1 && (bad_var(fn, n->dest) || !(fn->vars[n->dest].flags & IR_VAR_TEMP)))
				return violation(fn, err, i, "call result in var %d, not a temporary", (int)n->dest);
			break;
		case IR_BRANCH:
			if (n->cond > IR_COND_LT)
				return violation(fn, err, i, "bad condition %u", (unsigned)n->cond);
			if (n->cond != IR_COND_UNKNOWN && n->nargs < (n->cond == IR_COND_IS || n->cond == IR_COND_LT ? 2u : 1u))
				return violation(fn, err, i, "condition with %u operands", n->nargs);
			break;
		case IR_KILL:
			for (uint32_t k = 0; k < n->nargs; k++)
				if (a[k].kind != IR_OPND_VAR || !(fn->vars[a[k].var].flags & IR_VAR_TEMP))
					return violation(fn, err, i, "kill of operand %u, not a temporary", k);
			break;
		case IR_COUNT:
			if (n->nargs < 1 || (n->ival != 1 && n->ival != -1))
				return violation(fn, err, i, "count change of %lld", (long long)n->ival);
			break;
		default:
			break;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Printing (--dump-cfg)                                                                       */
/* ------------------------------------------------------------------------------------------ */

const char *ir_op_name(enum ir_op op)
{
	static const char *const names[] = { "nop", "call", "assign", "store", "use", "branch", "return", "kill", "count" };
	return (unsigned)op < sizeof names / sizeof names[0] ? names[op] : "?";
}

static void dump_operand(const struct ir_func *fn, const struct ir_operand *o, FILE *out)
{
	switch (o->kind) {
	case IR_OPND_VAR:
		fprintf(out, "%s", fn->vars[o->var].name);
		if (fn->vars[o->var].flags & IR_VAR_TEMP)
			fprintf(out, "#%d", o->var);
		break;
	case IR_OPND_ADDR:
		fprintf(out, "&%s", fn->vars[o->var].name);
		break;
	case IR_OPND_NULL:
		fputs("NULL", out);
		break;
	case IR_OPND_INT:
		fprintf(out, "%lld", (long long)o->ival);
		break;
	case IR_OPND_STR:
		fprintf(out, "\"%s\"", o->str ? o->str : "");
		break;
	case IR_OPND_LOAD:
	case IR_OPND_FIELD:
		fputs(o->kind == IR_OPND_FIELD ? "&" : "", out);
		if (o->var >= 0 && o->str)
			fprintf(out, "%s->%s", fn->vars[o->var].name, o->str);
		else if (o->var == -2 && o->str)
			fprintf(out, "%s", o->str);
		else
			fputs("<mem>", out);
		break;
	default:
		fputs("?", out);
		break;
	}
}

static void dump_var(const struct ir_func *fn, int32_t v, FILE *out)
{
	struct ir_operand o = ir_var_opnd(v);
	dump_operand(fn, &o, out);
}

void ir_dump(const struct ir_func *fn, FILE *out)
{
	fprintf(out, "function %s (%s:%u:%u)\n", fn->name, fn->file ? fn->file : "", fn->loc.line, fn->loc.col);
	for (uint32_t i = 0; i < fn->nnodes; i++) {
		const struct ir_node *n = &fn->nodes[i];
		const struct ir_operand *a = ir_args(fn, n);
		fprintf(out, "  %u: [%u] ", i, n->loc.line);
		switch (n->op) {
		case IR_NOP:
			fputs(i == 0 ? "entry" : "nop", out);
			break;
		case IR_CALL:
			if (n->dest >= 0) {
				dump_var(fn, n->dest, out);
				fputs(" = ", out);
			}
			fprintf(out, "call %s(", n->callee ? n->callee : "<indirect>");
			for (uint32_t k = 0; k < n->nargs; k++) {
				if (k)
					fputs(", ", out);
				dump_operand(fn, &a[k], out);
			}
			fputs(")", out);
			if (n->flags & IR_NODE_NORETURN)
				fputs(" noreturn", out);
			break;
		case IR_ASSIGN:
			dump_var(fn, n->dest, out);
			fputs(" = ", out);
			dump_operand(fn, &a[0], out);
			break;
		case IR_STORE:
			fputs("store ", out);
			dump_operand(fn, &a[0], out);
			if (n->nargs > 1) {
				fputs(" into ", out);
				dump_operand(fn, &a[1], out);
			}
			break;
		case IR_USE:
			fputs("use ", out);
			dump_operand(fn, &a[0], out);
			break;
		case IR_COUNT:
			fprintf(out, "count ");
			dump_operand(fn, &a[0], out);
			fprintf(out, " %+lld", (long long)n->ival);
			break;
		case IR_BRANCH:
			fputs("branch ", out);
			switch (n->cond) {
			case IR_COND_NULL:
				fputs("!", out);
				dump_operand(fn, &a[0], out);
				break;
			case IR_COND_NEG:
				dump_operand(fn, &a[0], out);
				fputs(" < 0", out);
				break;
			case IR_COND_EQ:
				dump_operand(fn, &a[0], out);
				fprintf(out, " == %lld", (long long)n->ival);
				break;
			case IR_COND_IS:
				dump_operand(fn, &a[0], out);
				fputs(" is ", out);
				if (n->nargs > 1)
					dump_operand(fn, &a[1], out);
				break;
			case IR_COND_LT:
				dump_operand(fn, &a[0], out);
				fputs(" < ", out);
				if (n->nargs > 1)
					dump_operand(fn, &a[1], out);
				break;
			default:
				fputs("?", out);
				break;
			}
			break;
		case IR_RETURN:
			fputs("return", out);
			if (n->nargs) {
				fputs(" ", out);
				dump_operand(fn, &a[0], out);
			}
			break;
		case IR_KILL:
			fputs("kill", out);
			for (uint32_t k = 0; k < n->nargs; k++) {
				fputs(" ", out);
				dump_operand(fn, &a[k], out);
			}
			break;
		default:
			fputs("?", out);
			break;
		}
		if (n->op == IR_BRANCH)
			fprintf(out, " -> %d, %d\n", n->succ[0], n->succ[1]);
		else if (n->succ[0] >= 0)
			fprintf(out, " -> %d\n", n->succ[0]);
		else
			fputs("\n", out);
	}
}
