/* The built-in GLib/GObject/Gio model (--model glib, generated from GObject-Introspection data
 * plus glib-overrides.model) on code written against the real GLib headers: transfer full and
 * none, nullable results, `throws` (the GError ** set only on failure), transfer full
 * parameters, a counted record's own ref/unref (GVariant, GBytes). */
// rccheck-args: --model glib
// compile-args-pkg: gio-2.0
// expect-complete

#include <gio/gio.h>

/* ---- GError: set only when the call fails ------------------------------------------------------ */

gboolean good_error_freed(GFile *file)
{
	GError *error = NULL;
	char *contents = NULL;

	if (!g_file_load_contents(file, NULL, &contents, NULL, NULL, &error)) {
		g_printerr("%s\n", error->message);
		g_error_free(error);
		return FALSE;
	}
	g_free(contents);
	return TRUE;
}

gboolean good_error_propagated(GFile *file, GError **out)
{
	GError *error = NULL;
	GFileInputStream *in = g_file_read(file, NULL, &error);

	if (in == NULL) {
		g_propagate_error(out, error);
		return FALSE;
	}
	g_object_unref(in);
	return TRUE;
}

void good_error_cleared(GFile *file)
{
	GError *error = NULL;
	GFileInfo *info = g_file_query_info(file, "standard::*", G_FILE_QUERY_INFO_NONE, NULL, &error);

	g_clear_error(&error);
	g_clear_object(&info);
}

gboolean bad_error_leaked(GFile *file)
{
	GError *error = NULL;
	char *contents = NULL;

	if (!g_file_load_contents(file, NULL, &contents, NULL, NULL, &error)) {
		g_printerr("%s\n", error->message);
		return FALSE; // expect-warning{{rc-leak}}
	}
	g_free(contents);
	return TRUE;
}

/* ---- results ------------------------------------------------------------------------------------ */

GFileInputStream *good_stream_returned(GFile *file, GError **error)
{
	return g_file_read(file, NULL, error);
}

void bad_stream_leaked(GFile *file)
{
	GFileInputStream *in = g_file_read(file, NULL, NULL);

	if (in == NULL)
		return;
	g_print("opened\n");
} // expect-warning{{rc-leak}}

void bad_borrowed_released(GFile *file)
{
	GFileInfo *info = g_file_query_info(file, "standard::*", G_FILE_QUERY_INFO_NONE, NULL, NULL);
	GIcon *icon;

	if (info == NULL)
		return;
	icon = g_file_info_get_icon(info);
	g_object_unref(icon); // expect-warning{{rc-release-borrowed}}
	g_object_unref(info);
}

gsize good_variant_unref(GVariant *tuple)
{
	GVariant *child = g_variant_get_child_value(tuple, 0);
	gsize n = g_variant_get_size(child);

	g_variant_unref(child);
	return n;
}

gsize bad_bytes_unref_twice(GBytes *bytes)
{
	GBytes *copy = g_bytes_ref(bytes);
	gsize n = g_bytes_get_size(copy);

	g_bytes_unref(copy);
	g_bytes_unref(copy); // expect-warning{{rc-double-release}}
	return n;
}

/* ---- a task takes the error (transfer full) ----------------------------------------------------- */

void good_task_takes_error(GTask *task, GFile *file)
{
	GError *error = NULL;
	GFileInfo *info = g_file_query_info(file, "standard::*", G_FILE_QUERY_INFO_NONE, NULL, &error);

	if (info == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, info, g_object_unref);
}
