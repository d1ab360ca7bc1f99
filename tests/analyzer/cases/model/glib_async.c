/* GLib's asynchronous idiom with --model glib: a reference handed as the user data of an async
 * callback (GIR scope="async": notify-takes=DATA,CALLBACK) or next to a callback of the tree is
 * the callback's to drop; a callback that releases its user data is not releasing a borrowed
 * reference; a precondition (g_return_if_fail) that fails is a programmer error, not a path of
 * the contract; constructors the GIR leaves without a transfer (g_async_queue_new) are new. */
// rccheck-args: --model glib
// compile-args-pkg: gio-2.0
// expect-complete

#include <gio/gio.h>

/* ---- async callbacks ------------------------------------------------------------------------- */

static void on_read(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GObject *self = user_data;

	g_return_if_fail(G_IS_OBJECT(self));
	g_print("%p %p\n", (void *)source, (void *)result);
	g_object_unref(self);
}

void good_gio_async_takes_user_data(GFile *file, GObject *self)
{
	g_file_read_async(file, G_PRIORITY_DEFAULT, NULL, on_read, g_object_ref(self));
}

static void run_later(GObject *self, GAsyncReadyCallback cb, gpointer user_data)
{
	GTask *task = g_task_new(self, NULL, cb, user_data);

	g_task_return_boolean(task, TRUE);
	g_object_unref(task);
}

void good_tree_async_takes_user_data(GObject *self, GAsyncReadyCallback cb, gpointer ud)
{
	GSimpleAsyncResult *simple = g_simple_async_result_new(self, cb, ud, good_tree_async_takes_user_data);

	run_later(self, on_read, simple);
}

static void print_item(gpointer item, gpointer user_data)
{
	g_print("%p %p\n", item, user_data);
}

void bad_foreach_data_is_borrowed(GList *list, GObject *obj)
{
	g_list_foreach(list, print_item, g_object_ref(obj));
} // expect-warning{{rc-leak}}

/* ---- preconditions ---------------------------------------------------------------------------- */

gboolean good_precondition_return(GObject *obj, GObject *other)
{
	GObject *mine = g_object_ref(obj);

	g_return_val_if_fail(G_IS_OBJECT(other), FALSE);
	g_object_unref(mine);
	return TRUE;
}

gboolean bad_leak_on_normal_return(GObject *obj, gboolean early)
{
	GObject *mine = g_object_ref(obj);

	g_return_val_if_fail(G_IS_OBJECT(obj), FALSE);
	if (early)
		return FALSE; // expect-warning{{rc-leak}}
	g_object_unref(mine);
	return TRUE;
}

/* ---- constructors without a transfer in the GIR ------------------------------------------------ */

void good_async_queue(void)
{
	GAsyncQueue *queue = g_async_queue_new();

	g_async_queue_push(queue, (gpointer)"x");
	g_async_queue_pop(queue);
	g_async_queue_unref(queue);
}

void bad_async_queue_dropped(void)
{
	GAsyncQueue *queue = g_async_queue_new();

	g_async_queue_push(queue, (gpointer)"x");
} // expect-warning{{rc-leak}}

static gpointer worker(gpointer data)
{
	g_async_queue_push(data, GINT_TO_POINTER(1));
	return NULL;
}

void good_thread_borrows_its_data(void)
{
	GAsyncQueue *queue = g_async_queue_new();
	GThread *thread = g_thread_new("worker", worker, queue);

	g_async_queue_pop(queue);
	g_thread_join(thread);
	g_async_queue_unref(queue);
}

/* ---- a getter filling its object's cache (transfer none; the finalizer releases the field) ------- */

typedef struct {
	GVariant *options;
} Portal;

void portal_finalize(Portal *portal)
{
	g_clear_pointer(&portal->options, g_variant_unref);
}

GVariant *good_cached_getter(Portal *portal, GVariant *dict)
{
	if (portal->options)
		return portal->options;
	if (!g_variant_lookup(dict, "options", "@a{sv}", &portal->options))
		portal->options = g_variant_ref_sink(g_variant_new_parsed("@a{sv} {}"));
	return portal->options;
}

/* ---- g_autoptr: the cleanup function releases what the var holds; its value is followed -------- */

static void on_changed(GFileMonitor *m, GFile *f, GFile *o, GFileMonitorEvent e, gpointer d)
{
	g_print("%p %p %p %d %p\n", (void *)m, (void *)f, (void *)o, (int)e, d);
}

void good_autoptr_error_tested(GFile *dir)
{
	g_autoptr(GError) error = NULL;
	GFileMonitor *monitor = g_file_monitor_directory(dir, G_FILE_MONITOR_NONE, NULL, &error);

	if (error != NULL)
		g_print("%s\n", error->message);
	else
		g_signal_connect(monitor, "changed", G_CALLBACK(on_changed), NULL);
	g_clear_object(&monitor);
}

void good_autoptr_holds_reference(GFile *file)
{
	g_autoptr(GFile) parent = g_file_get_parent(file);

	if (parent == NULL)
		return;
	g_print("%p\n", (void *)parent);
}

void bad_plain_var_leaks(GFile *file)
{
	GFile *parent = g_file_get_parent(file);

	if (parent == NULL)
		return;
	g_print("%p\n", (void *)parent);
} // expect-warning{{rc-leak}}

/* ---- a destructor (named so: *_free, *_unref, *_destroy) takes the reference it drops: another
 * file hands it to g_list_free_full (l, (GDestroyNotify) item_invalidate_and_free) ------------ */

void item_invalidate_and_free(GObject *item)
{
	g_object_set_data(item, "valid", GINT_TO_POINTER(FALSE));
	g_object_unref(item);
}

/* ---- g_cancellable_set_error_if_cancelled sets the error when it returns TRUE ------------------- */

gboolean good_cancelled_check(GCancellable *cancellable)
{
	GError *error = NULL;

	if (g_cancellable_set_error_if_cancelled(cancellable, &error)) {
		g_print("%s\n", error->message);
		g_error_free(error);
		return FALSE;
	}
	return TRUE;
}

/* ---- a gboolean result compared with TRUE (the macro `(!(0))`, folded by the AST) -------------- */

gboolean good_delete_compared_with_true(GFile *file)
{
	GError *error = NULL;

	if (g_file_delete(file, NULL, &error) == TRUE)
		return TRUE;
	g_print("%s\n", error->message);
	g_error_free(error);
	return FALSE;
}

void good_cancelled_compared_with_true(GTask *task, GCancellable *cancellable)
{
	GError *error = NULL;

	if (g_cancellable_set_error_if_cancelled(cancellable, &error) == TRUE) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_int(task, 1);
}

/* ---- a callback that drops its user data on failure and hands it to the next step otherwise ---- */

extern void step_async(GObject *o, GAsyncReadyCallback cb, gpointer user_data);
extern gboolean step_finish(GObject *o, GAsyncResult *res, GError **error);

static void on_last_step(GObject *o, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;

	g_print("%p %p\n", (void *)o, (void *)res);
	g_task_return_boolean(task, TRUE);
	g_object_unref(task);
}

static void on_first_step(GObject *o, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	GError *error = NULL;

	if (!step_finish(o, res, &error)) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	step_async(o, on_last_step, task);
}

void good_two_steps(GObject *o, GAsyncReadyCallback cb, gpointer ud)
{
	GTask *task = g_task_new(o, NULL, cb, ud);

	step_async(o, on_first_step, task);
}
