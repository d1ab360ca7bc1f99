/* An ordinary GObject class written the usual way (G_DECLARE_FINAL_TYPE, dispose with
 * g_clear_object / g_clear_pointer, g_set_object, g_autoptr / g_autofree, g_steal_pointer,
 * signals, an enumerator loop, a GVariant built from floating values) must stay silent with
 * --model glib, with no budget note; the two bad_ functions are the same loop with a GFileInfo
 * and a GError forgotten. */
// rccheck-args: --model glib
// compile-args-pkg: gio-2.0
// expect-complete

#include <gio/gio.h>

#define MY_TYPE_WATCHER (my_watcher_get_type())
G_DECLARE_FINAL_TYPE(MyWatcher, my_watcher, MY, WATCHER, GObject)

struct _MyWatcher {
	GObject parent_instance;
	GFile *root;
	GFileMonitor *monitor;
	GCancellable *cancellable;
	GHashTable *seen;
	char *name;
};

enum { PROP_0, PROP_ROOT, N_PROPS };
static GParamSpec *props[N_PROPS];
enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_TYPE(MyWatcher, my_watcher, G_TYPE_OBJECT)

static void on_changed(GFileMonitor *m, GFile *file, GFile *other, GFileMonitorEvent ev, gpointer user_data)
{
	MyWatcher *self = MY_WATCHER(user_data);
	g_autofree char *path = g_file_get_path(file);

	if (path == NULL || g_hash_table_contains(self->seen, path))
		return;
	g_hash_table_add(self->seen, g_steal_pointer(&path));
	g_signal_emit(self, signals[CHANGED], 0, file);
}

static void my_watcher_dispose(GObject *object)
{
	MyWatcher *self = MY_WATCHER(object);

	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->monitor);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->root);
	g_clear_pointer(&self->seen, g_hash_table_unref);
	G_OBJECT_CLASS(my_watcher_parent_class)->dispose(object);
}

static void my_watcher_finalize(GObject *object)
{
	MyWatcher *self = MY_WATCHER(object);

	g_free(self->name);
	G_OBJECT_CLASS(my_watcher_parent_class)->finalize(object);
}

static void my_watcher_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	MyWatcher *self = MY_WATCHER(object);

	switch (prop_id) {
	case PROP_ROOT:
		g_set_object(&self->root, g_value_get_object(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void my_watcher_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	MyWatcher *self = MY_WATCHER(object);

	switch (prop_id) {
	case PROP_ROOT:
		g_value_set_object(value, self->root);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void my_watcher_class_init(MyWatcherClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = my_watcher_dispose;
	object_class->finalize = my_watcher_finalize;
	object_class->set_property = my_watcher_set_property;
	object_class->get_property = my_watcher_get_property;
	props[PROP_ROOT] = g_param_spec_object("root", NULL, NULL, G_TYPE_FILE,
					       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
	signals[CHANGED] = g_signal_new("changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
					NULL, G_TYPE_NONE, 1, G_TYPE_FILE);
}

static void my_watcher_init(MyWatcher *self)
{
	self->cancellable = g_cancellable_new();
	self->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

gboolean good_watcher_start(MyWatcher *self, GError **error)
{
	g_autoptr(GFileMonitor) monitor = NULL;

	g_return_val_if_fail(MY_IS_WATCHER(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	monitor = g_file_monitor_directory(self->root, G_FILE_MONITOR_NONE, self->cancellable, error);
	if (monitor == NULL)
		return FALSE;
	g_signal_connect_object(monitor, "changed", G_CALLBACK(on_changed), self, 0);
	g_set_object(&self->monitor, monitor);
	return TRUE;
}

MyWatcher *my_watcher_new(GFile *root)
{
	return g_object_new(MY_TYPE_WATCHER, "root", root, NULL);
}

GList *good_watcher_list(MyWatcher *self, GError **error)
{
	g_autoptr(GFileEnumerator) e = NULL;
	GList *out = NULL;
	GError *local = NULL;

	e = g_file_enumerate_children(self->root, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE,
				      self->cancellable, error);
	if (!e)
		return NULL;
	for (;;) {
		GFileInfo *info = g_file_enumerator_next_file(e, self->cancellable, &local);
		if (info == NULL)
			break;
		if (g_file_info_get_file_type(info) == G_FILE_TYPE_DIRECTORY) {
			g_object_unref(info);
			continue;
		}
		out = g_list_prepend(out, g_file_get_child(self->root, g_file_info_get_name(info)));
		g_object_unref(info);
	}
	if (local != NULL) {
		g_propagate_error(error, local);
		g_list_free_full(out, g_object_unref);
		return NULL;
	}
	return g_list_reverse(out);
}

GVariant *good_watcher_to_variant(MyWatcher *self)
{
	g_autofree char *uri = g_file_get_uri(self->root);
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "root", g_variant_new_string(uri));
	g_variant_builder_add(&b, "{sv}", "count", g_variant_new_uint32(g_hash_table_size(self->seen)));
	return g_variant_builder_end(&b);
}

GList *bad_list_forgets_info(MyWatcher *self)
{
	g_autoptr(GFileEnumerator) e = NULL;
	GList *out = NULL;

	e = g_file_enumerate_children(self->root, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE,
				      self->cancellable, NULL);
	if (!e)
		return NULL;
	for (;;) {
		GFileInfo *info = g_file_enumerator_next_file(e, self->cancellable, NULL); // expect-warning{{rc-leak}}
		if (info == NULL)
			break;
		if (g_file_info_get_file_type(info) == G_FILE_TYPE_DIRECTORY)
			continue;
		out = g_list_prepend(out, g_file_get_child(self->root, g_file_info_get_name(info)));
		g_object_unref(info);
	}
	return g_list_reverse(out);
}

gsize bad_count_forgets_error(MyWatcher *self)
{
	g_autoptr(GFileEnumerator) e = NULL;
	GError *local = NULL;
	gsize n = 0;

	e = g_file_enumerate_children(self->root, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE,
				      self->cancellable, NULL);
	if (!e)
		return 0;
	for (;;) {
		GFileInfo *info = g_file_enumerator_next_file(e, self->cancellable, &local);
		if (info == NULL)
			break;
		n++;
		g_object_unref(info);
	}
	if (local != NULL) {
		g_warning("%s", local->message);
		return 0; // expect-warning{{rc-leak}}
	}
	return n;
}
