/* The three defects of issue 16 on GLib code, against the real GLib headers (libglib2.0-dev):
 *  (a) GLib's g_object_ref, g_object_ref_sink and g_steal_pointer are macros expanding to a
 *      parenthesized callee with a cast, `((glib_typeof (o)) (g_object_ref) (o))`: the call must
 *      be taken for a call of g_object_ref, not for an unknown indirect call;
 *  (b) `clears=N` on a macro whose argument is already an address (g_clear_object(&self->x),
 *      g_clear_pointer(&p, g_object_unref)) must clear what that address holds;
 *  (c) an ordinary loop using G_IS_* type checks must not exhaust the state budget.
 * The model is this case's own (glib_defects.model), so that the defects are proven apart from
 * the built-in GLib model. */
// rccheck-args: --model glib_defects.model
// compile-args-pkg: gio-2.0
// expect-complete

#include <gio/gio.h>

typedef struct {
	GObject parent;
	GFile *file;
	GObject *owner;
} Holder;

/* ---- (a) (fn) (x) calls ----------------------------------------------------------------------- */

GObject *good_ref_returned(GObject *o)
{
	return g_object_ref(o);
}

void bad_ref_leaked(GObject *o)
{
	GObject *mine = g_object_ref(o);
	g_print("%p\n", (void *)mine);
} // expect-warning{{rc-leak}}

void good_ref_then_unref(GObject *o)
{
	GObject *mine = g_object_ref(o);
	g_print("%p\n", (void *)mine);
	g_object_unref(mine);
}

void bad_unref_twice(GObject *o)
{
	GObject *mine = g_object_ref(o);
	g_object_unref(mine);
	g_object_unref(mine); // expect-warning{{rc-double-release}}
}

GFile *good_steal_pointer(const char *path)
{
	GFile *f = g_file_new_for_path(path);
	return g_steal_pointer(&f);
}

/* ---- (b) clears on an address ----------------------------------------------------------------- */

void good_clear_object_field(Holder *self)
{
	g_clear_object(&self->file);
	self->file = g_file_new_for_path("/tmp");
}

void good_clear_object_local(const char *path)
{
	GFile *f = g_file_new_for_path(path);
	g_print("%s\n", path);
	g_clear_object(&f);
}

void good_clear_pointer_local(const char *path)
{
	GFile *f = g_file_new_for_path(path);
	g_clear_pointer(&f, g_object_unref);
}

void bad_clear_then_unref(const char *path)
{
	GFile *f = g_file_new_for_path(path);
	GFile *alias = f;
	g_clear_object(&f);
	g_object_unref(alias); // expect-warning{{rc-double-release}}
}

void bad_leak_before_clear(const char *path)
{
	GFile *f = g_file_new_for_path(path);
	f = g_file_new_for_path("/"); // expect-warning{{rc-leak}}
	g_clear_object(&f);
}

/* ---- (c) a loop with G_IS_* checks: 23,277 states before, 2,855 now --------------------------- */

guint good_count_files(GListModel *model, GObject *owner)
{
	guint n = 0, i, len;

	g_return_val_if_fail(G_IS_LIST_MODEL(model), 0);
	len = g_list_model_get_n_items(model);
	for (i = 0; i < len; i++) {
		GObject *item = g_list_model_get_item(model, i);
		GFile *file = NULL;

		if (G_IS_FILE(item))
			file = g_object_ref(G_FILE(item));
		else if (G_IS_FILE_INFO(item))
			file = g_file_new_for_path(g_file_info_get_name(G_FILE_INFO(item)));
		else if (G_IS_APP_INFO(item))
			file = g_file_new_for_path(g_app_info_get_executable(G_APP_INFO(item)));
		else if (G_IS_MOUNT(item))
			file = g_mount_get_root(G_MOUNT(item));
		else if (G_IS_VOLUME(item))
			file = g_volume_get_activation_root(G_VOLUME(item));
		else if (G_IS_DRIVE(item) && G_IS_OBJECT(owner))
			g_object_set_data(owner, "drive", item);
		if (file != NULL && G_IS_FILE(file) && g_file_has_parent(file, NULL))
			n++;
		if (file != NULL && G_IS_OBJECT(file) && G_IS_FILE(file))
			n++;
		g_clear_object(&file);
		g_object_unref(item);
	}
	return n;
}

guint bad_count_files_leak(GListModel *model)
{
	guint n = 0, i, len;

	g_return_val_if_fail(G_IS_LIST_MODEL(model), 0);
	len = g_list_model_get_n_items(model);
	for (i = 0; i < len; i++) {
		/* `continue` below leaves both; the next iteration's declarations overwrite them */
		GObject *item = g_list_model_get_item(model, i); // expect-warning{{rc-leak}}
		GFile *file = NULL; // expect-warning{{rc-leak}}

		if (G_IS_FILE(item))
			file = g_object_ref(G_FILE(item));
		else if (G_IS_FILE_INFO(item))
			file = g_file_new_for_path(g_file_info_get_name(G_FILE_INFO(item)));
		else if (G_IS_MOUNT(item))
			file = g_mount_get_root(G_MOUNT(item));
		if (file == NULL || !G_IS_FILE(file))
			continue;
		if (g_file_has_parent(file, NULL))
			n++;
		g_object_unref(file);
		g_object_unref(item);
	}
	return n;
}
