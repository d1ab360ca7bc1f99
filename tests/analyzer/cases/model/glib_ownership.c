/* The model format's GLib additions (docs/model-format.md), with --model glib on the real GLib
 * headers: floating references (`floating` results, `sinks=N`, a floating reference handed to a
 * call is sunk), a data pointer handed over with its destroy notify (`notify-takes=D,K`), and
 * outputs set only on failure (`out-new-on-failure`, GError **) next to outputs set only on
 * success (`out-new`). */
// rccheck-args: --model glib
// compile-args-pkg: gio-2.0
// expect-complete

#include <gio/gio.h>

/* ---- floating references ---------------------------------------------------------------------- */

GVariant *good_floating_returned(gint32 n)
{
	return g_variant_new_int32(n);
}

GVariant *good_builder_sinks(const char *a, const char *b)
{
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("as"));
	g_variant_builder_add_value(&builder, g_variant_new_string(a));
	g_variant_builder_add_value(&builder, g_variant_new_string(b));
	return g_variant_builder_end(&builder);
}

void good_ref_sink_then_unref(gint32 n)
{
	GVariant *v = g_variant_ref_sink(g_variant_new_int32(n));

	g_print("%d\n", g_variant_get_int32(v));
	g_variant_unref(v);
}

void bad_floating_never_sunk(gint32 n)
{
	GVariant *v = g_variant_new_int32(n);

	g_print("%d\n", g_variant_get_int32(v));
} // expect-warning{{rc-leak}}

void bad_ref_sink_of_owned(GVariant *tuple)
{
	/* not floating: ref_sink adds a reference, and only one is released */
	GVariant *child = g_variant_get_child_value(tuple, 0);
	GVariant *again = g_variant_ref_sink(child);

	g_variant_unref(again);
} // expect-warning{{rc-leak}}

void bad_sunk_then_unref_twice(gint32 n)
{
	GVariant *v = g_variant_ref_sink(g_variant_new_int32(n));

	g_variant_unref(v);
	g_variant_unref(v); // expect-warning{{rc-double-release}}
}

/* g_object_new: floating when the type is a GInitiallyUnowned, which the idiom below is
 * written for; an object that is never sunk nor released is still leaked. */
GObject *good_ref_sink_of_new(GType type)
{
	return g_object_ref_sink(g_object_new(type, NULL));
}

void good_ref_sink_of_new_then_unref(GType type)
{
	GObject *o = g_object_ref_sink(g_object_new(type, NULL));

	g_print("%p\n", (void *)o);
	g_object_unref(o);
}

void bad_new_object_dropped(GType type)
{
	GObject *o = g_object_new(type, NULL);

	g_print("%p\n", (void *)o);
} // expect-warning{{rc-leak}}

void bad_new_object_added_to_store(GListStore *store, GType type)
{
	GObject *o = g_object_new(type, NULL);

	g_list_store_append(store, o); /* transfer none: the store takes its own reference */
} // expect-warning{{rc-leak}}

/* ---- data handed over with a destroy notify ------------------------------------------------------ */

static gboolean on_idle(gpointer data)
{
	g_print("%p\n", data);
	return G_SOURCE_REMOVE;
}

void good_idle_takes_reference(GObject *obj)
{
	g_idle_add_full(G_PRIORITY_DEFAULT, on_idle, g_object_ref(obj), g_object_unref);
}

void good_idle_borrowed_without_notify(GObject *obj)
{
	g_idle_add_full(G_PRIORITY_DEFAULT, on_idle, obj, NULL);
}

void bad_idle_reference_without_notify(GObject *obj)
{
	GObject *mine = g_object_ref(obj);

	g_idle_add_full(G_PRIORITY_DEFAULT, on_idle, mine, NULL);
} // expect-warning{{rc-leak}}

void good_set_data_full(GObject *obj, GFile *file)
{
	g_object_set_data_full(obj, "file", g_object_ref(file), g_object_unref);
}

/* the notify comes before its data (`GDestroyNotify notify, gpointer user_data`): the pixel
 * buffer's owner rides with the variant and is released when the variant is done with it */
GVariant *good_data_after_notify(GObject *owner, const guchar *pixels, gsize n)
{
	return g_variant_new_from_data(G_VARIANT_TYPE("ay"), pixels, n, TRUE, g_object_unref,
				       g_object_ref(owner));
}

GVariant *bad_data_after_null_notify(GObject *owner, const guchar *pixels, gsize n)
{
	return g_variant_new_from_data(G_VARIANT_TYPE("ay"), pixels, n, TRUE, NULL, g_object_ref(owner)); // expect-warning{{rc-leak}}
}

/* ---- outputs: on success only, on failure only --------------------------------------------------- */

gboolean good_output_on_success(GFile *file, GError **error)
{
	GFileIOStream *io = NULL;
	GFile *tmp = g_file_new_tmp(NULL, &io, error);

	if (tmp == NULL)
		return FALSE;
	g_object_unref(io);
	g_object_unref(tmp);
	return g_file_query_exists(file, NULL);
}

gboolean bad_output_leaked_on_success(GError **error)
{
	GFileIOStream *io = NULL;
	GFile *tmp = g_file_new_tmp(NULL, &io, error);

	if (tmp == NULL)
		return FALSE;
	g_object_unref(tmp);
	return TRUE; // expect-warning{{rc-leak}}
}

gboolean good_error_only_on_failure(GFile *file)
{
	GError *error = NULL;
	GFileInputStream *in = g_file_read(file, NULL, &error);

	if (in != NULL) {
		/* success: error was not set, there is nothing to free */
		g_object_unref(in);
		return TRUE;
	}
	g_warning("%s", error->message);
	g_error_free(error);
	return FALSE;
}

/* ---- an error kept in a field: its test is the test of the call ---------------------------------- */

typedef struct {
	int files;
	GError *error; /* NULL until a step fails */
} Job;

void good_error_field_tested(Job *job, GFile *file)
{
	GFileInfo *info = g_file_query_info(file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, NULL,
					    &job->error);
	if (job->error != NULL)
		return;
	job->files += g_file_info_get_file_type(info) == G_FILE_TYPE_REGULAR;
	g_object_unref(info);
}

void bad_error_field_tested_backwards(Job *job, GFile *file)
{
	GFileInfo *info = g_file_query_info(file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, NULL,
					    &job->error);
	if (job->error == NULL)
		return; // expect-warning{{rc-leak}}
	g_object_unref(info); // expect-warning{{rc-unchecked-null}}
}

/* the error slot first in its struct: &step->error is that slot, not the struct */
typedef struct {
	GError *error;
	int files;
} Step;

void good_error_first_member(Step *step, GFile *file)
{
	GFileInfo *info = g_file_query_info(file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, NULL,
					    &step->error);
	if (step->error != NULL)
		return;
	step->files += g_file_info_get_file_type(info) == G_FILE_TYPE_REGULAR;
	g_object_unref(info);
}
