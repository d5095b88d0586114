"""Does the server read the kernel's TCP round trip of a phone's own connection, and only when it holds it?"""
import io
import socket

import pytest
from gevent.pywsgi import Input as GeventInput

from live.kernel_rtt import min_round_trip, phone_socket


@pytest.fixture
def connection():
    """Both ends of a loopback TCP connection that has carried a few messages."""
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    server, _ = listener.accept()
    for _ in range(3):
        server.sendall(b"probe")
        client.recv(16)
    yield server
    for end in (server, client, listener):
        end.close()


class EventletInput:
    """What eventlet's server puts in the WSGI environ: it hands over the request's socket."""

    def __init__(self, tcp):
        self.tcp = tcp

    def get_socket(self):
        return self.tcp


@pytest.fixture
def connection_file(connection):
    """The connection's buffered socket file, as gevent's handler reads requests through it (its rfile)."""
    with connection.makefile("rb") as rfile:
        yield rfile


# What each server puts in the environ of a phone's request; gevent's handler puts its own Input around
# the socket file for an ordinary request (a long-poll) and the socket file itself for a WebSocket upgrade,
# as Werkzeug's (threading mode) does for every request.
SERVER_ENVIRONS = {
    "eventlet": lambda tcp, rfile: {"eventlet.input": EventletInput(tcp), "wsgi.input": EventletInput(tcp)},
    "gevent request": lambda tcp, rfile: {"wsgi.input": GeventInput(rfile, 0)},
    "gevent websocket upgrade": lambda tcp, rfile: {"wsgi.input": rfile, "wsgi.websocket": object()},
    "werkzeug": lambda tcp, rfile: {"wsgi.input": rfile, "werkzeug.socket": tcp},
}


def test_the_kernel_round_trip_of_a_loopback_connection_is_read(connection):
    """Is a connection's minimum round trip read, and well under a millisecond on loopback?"""
    round_trip = min_round_trip(connection)
    assert round_trip is not None and 0 < round_trip < 1


def test_no_round_trip_of_a_closed_or_missing_connection(connection):
    """Does a closed connection, or none, give no round trip rather than an error?"""
    assert min_round_trip(None) is None
    connection.close()
    assert min_round_trip(connection) is None


@pytest.mark.parametrize("server", SERVER_ENVIRONS)
def test_the_phone_socket_is_taken_from_each_servers_environ(app, connection, connection_file, server):
    """Under eventlet's or gevent's server, with no proxy in front, is the phone's own connection kept?"""
    with app.test_request_context():
        assert phone_socket(SERVER_ENVIRONS[server](connection, connection_file)) is connection


@pytest.mark.parametrize("environ", [{}, {"wsgi.input": io.BytesIO(b"body")}, {"wsgi.input": GeventInput(None, 0)}])
def test_no_phone_socket_where_the_environ_shows_none(app, environ):
    """Another server, or an input that reads no socket: is there no socket rather than an error?"""
    with app.test_request_context():
        assert phone_socket(environ) is None


@pytest.mark.parametrize("server", SERVER_ENVIRONS)
@pytest.mark.parametrize("setting", [{"TRUSTED_PROXIES": 1}, {"KERNEL_RTT_CHECK": False}])
def test_no_phone_socket_behind_a_proxy_or_when_switched_off(app, connection, connection_file, setting, server):
    """Behind a reverse proxy the connection is the proxy's: is the check off, as when switched off?"""
    app.config.update(setting)
    with app.test_request_context():
        assert phone_socket(SERVER_ENVIRONS[server](connection, connection_file)) is None
