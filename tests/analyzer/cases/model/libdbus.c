/* libdbus (--model libdbus), with self-contained declarations in the shape of dbus/dbus.h (the
 * headers are not needed): messages and connections, a blocking call's reply, a pending call
 * stored through an out-parameter, user data handed over with its free function. */
// rccheck-args: --model libdbus
// expect-complete

#include <stddef.h>

typedef unsigned int dbus_bool_t;
typedef struct DBusMessage DBusMessage;
typedef struct DBusConnection DBusConnection;
typedef struct DBusPendingCall DBusPendingCall;
typedef struct {
	const char *name, *message;
	unsigned dummy;
	void *padding;
} DBusError;
typedef enum { DBUS_BUS_SESSION, DBUS_BUS_SYSTEM } DBusBusType;
typedef void (*DBusFreeFunction)(void *memory);
typedef int (*DBusHandleMessageFunction)(DBusConnection *c, DBusMessage *m, void *data);

void dbus_error_init(DBusError *error);
void dbus_error_free(DBusError *error);
DBusConnection *dbus_bus_get(DBusBusType type, DBusError *error);
void dbus_connection_unref(DBusConnection *connection);
DBusMessage *dbus_message_new_method_call(const char *dest, const char *path, const char *iface,
					  const char *method);
void dbus_message_unref(DBusMessage *message);
DBusMessage *dbus_message_ref(DBusMessage *message);
DBusMessage *dbus_connection_send_with_reply_and_block(DBusConnection *connection, DBusMessage *message,
						       int timeout_milliseconds, DBusError *error);
dbus_bool_t dbus_connection_send_with_reply(DBusConnection *connection, DBusMessage *message,
					    DBusPendingCall **pending_return, int timeout_milliseconds);
void dbus_pending_call_unref(DBusPendingCall *pending);
dbus_bool_t dbus_connection_add_filter(DBusConnection *connection, DBusHandleMessageFunction function,
				       void *user_data, DBusFreeFunction free_data_function);
const char *dbus_message_get_signature(DBusMessage *message);

int on_message(DBusConnection *c, DBusMessage *m, void *data);
void message_free(void *data);

/* ---- must stay silent ---------------------------------------------------------------------- */

int good_ping(void)
{
	DBusError err;
	DBusConnection *conn;
	DBusMessage *msg, *reply;
	int ok = 0;

	dbus_error_init(&err);
	conn = dbus_bus_get(DBUS_BUS_SESSION, &err);
	if (!conn) {
		dbus_error_free(&err);
		return -1;
	}
	msg = dbus_message_new_method_call("org.freedesktop.DBus", "/org/freedesktop/DBus",
					   "org.freedesktop.DBus.Peer", "Ping");
	if (!msg)
		goto out;
	reply = dbus_connection_send_with_reply_and_block(conn, msg, 1000, &err);
	dbus_message_unref(msg);
	if (!reply) {
		dbus_error_free(&err);
		goto out;
	}
	ok = dbus_message_get_signature(reply) != NULL;
	dbus_message_unref(reply);
out:
	dbus_connection_unref(conn);
	return ok;
}

int good_pending(DBusConnection *conn, DBusMessage *msg)
{
	DBusPendingCall *pending = NULL;

	if (!dbus_connection_send_with_reply(conn, msg, &pending, -1))
		return -1;
	if (pending)
		dbus_pending_call_unref(pending);
	return 0;
}

int good_filter_takes_message(DBusConnection *conn, DBusMessage *template)
{
	return dbus_connection_add_filter(conn, on_message, dbus_message_ref(template), message_free) ? 0 : -1;
}

/* ---- must be reported ---------------------------------------------------------------------- */

int bad_reply_leaked(DBusConnection *conn, DBusMessage *msg)
{
	DBusError err;
	DBusMessage *reply;

	dbus_error_init(&err);
	reply = dbus_connection_send_with_reply_and_block(conn, msg, 1000, &err);
	if (!reply) {
		dbus_error_free(&err);
		return -1;
	}
	if (dbus_message_get_signature(reply) == NULL)
		return -1; // expect-warning{{rc-leak}}
	dbus_message_unref(reply);
	return 0;
}

int bad_pending_leaked(DBusConnection *conn, DBusMessage *msg)
{
	DBusPendingCall *pending = NULL;

	if (!dbus_connection_send_with_reply(conn, msg, &pending, -1))
		return -1;
	return 0; // expect-warning{{rc-leak}}
}

void bad_unref_borrowed(DBusConnection *conn, DBusMessage *msg)
{
	if (dbus_message_get_signature(msg) == NULL)
		dbus_connection_unref(conn); // expect-warning{{rc-release-borrowed}}
}
