/*
 * walk_floor.c - the floor under any checker built on libclang's C API, for bench/analyzer/run:
 * parse a file exactly as rccheck does (same parse options, -w), then visit every cursor of
 * every function defined in the main file once (CXChildVisit_Recurse), and do nothing else.
 * rccheck's lowering must at least make that walk (it reads every statement and expression),
 * so "parse + walk" is what rccheck would cost with a free lowering and a free analysis.
 *
 * usage: rccheck-walk-floor FILE [CLANG_ARGS...] [';' FILE [CLANG_ARGS...]]...
 * Several files (separated by a ';' argument) are parsed one after the other in one process,
 * as `rccheck -j 1` does. Prints "NODES FUNCTIONS" on stdout.
 */
#include <clang-c/Index.h>

#include <stdio.h>
#include <string.h>

struct counts {
	unsigned long nodes, functions;
};

static enum CXChildVisitResult count_node(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)c;
	(void)parent;
	((struct counts *)data)->nodes++;
	return CXChildVisit_Recurse;
}

static enum CXChildVisitResult top_level(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct counts *n = data;
	if (clang_getCursorKind(c) == CXCursor_FunctionDecl && clang_isCursorDefinition(c) &&
	    clang_Location_isFromMainFile(clang_getCursorLocation(c))) {
		n->functions++;
		clang_visitChildren(c, count_node, n);
	}
	return CXChildVisit_Continue;
}

/* Parses argv[0] with the arguments that follow it; returns 0, or -1 when it does not parse. */
static int walk_file(CXIndex index, int argc, char **argv, struct counts *n)
{
	const char *args[256];
	int nargs = 0;
	for (int i = 1; i < argc && nargs < 254; i++)
		args[nargs++] = argv[i];
	args[nargs++] = "-w";
	CXTranslationUnit tu = NULL;
	unsigned flags = CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
	if (clang_parseTranslationUnit2(index, argv[0], args, nargs, NULL, 0, flags, &tu) != CXError_Success) {
		fprintf(stderr, "rccheck-walk-floor: %s: cannot parse\n", argv[0]);
		return -1;
	}
	clang_visitChildren(clang_getTranslationUnitCursor(tu), top_level, n);
	clang_disposeTranslationUnit(tu);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: rccheck-walk-floor FILE [CLANG_ARGS...] [';' FILE [CLANG_ARGS...]]...\n");
		return 2;
	}
	CXIndex index = clang_createIndex(0, 0);
	struct counts n = { 0, 0 };
	int status = 0;
	for (int i = 1; i < argc;) {
		int j = i;
		while (j < argc && strcmp(argv[j], ";"))
			j++;
		if (j > i && walk_file(index, j - i, argv + i, &n) < 0)
			status = 2;
		i = j + 1;
	}
	printf("%lu %lu\n", n.nodes, n.functions);
	clang_disposeIndex(index);
	return status;
}
