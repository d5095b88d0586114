"""Idle TCP connections against a real server (eventlet and gevent): is the open-files limit raised
and reported, does running out of file descriptors never end the server, are connections that send
nothing closed, and does one address get no more than its share of connections?
"""
import socket
import time
import urllib.request

import pytest

from tests.live.restart import server_log
from tests.live_server import LiveServer

pytestmark = pytest.mark.live

ASYNC_MODES = ["eventlet", "gevent"]


@pytest.fixture
def start_server():
    """Start a server with the given settings; stopped after the test."""
    started = []

    def start(**options) -> LiveServer:
        server = LiveServer(**options)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


def idle_connections(server: LiveServer, count: int) -> list[socket.socket]:
    """``count`` TCP connections to the server that send nothing (as many as the client side could open)."""
    sockets = []
    for _ in range(count):
        try:
            sockets.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
        except OSError:
            break
    return sockets


def closed_by_server(connection: socket.socket, seconds: float) -> bool:
    """Whether the server closes ``connection`` (the read returns end of file or a reset) within ``seconds``."""
    connection.settimeout(seconds)
    try:
        return connection.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def answers(server: LiveServer, seconds: float = 20) -> bool:
    """Whether the server answers the login page within ``seconds`` (retrying while it recovers)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{server.url}/login", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def close_all(sockets: list[socket.socket]) -> None:
    """Close every test connection."""
    for connection in sockets:
        connection.close()


@pytest.mark.parametrize("async_mode", ASYNC_MODES)
def test_the_open_files_limit_is_raised_at_start_and_reported(start_server, async_mode):
    """Started with a soft limit of 256 open files under a hard limit of 4,096, does the server raise
    its soft limit to 4,096 and say so?"""
    server = start_server(async_mode=async_mode, open_files=(256, 4096))
    limit = int(open(f"/proc/{server.process.pid}/limits").read().split("Max open files")[1].split()[0])
    assert limit == 4096
    assert any("4096（启动时由 256 提高）" in line for line in server_log(server))


@pytest.mark.parametrize("async_mode", ASYNC_MODES)
def test_running_out_of_file_descriptors_never_ends_the_server(start_server, async_mode):
    """With 300 idle connections against a limit of 200 open files (the server's accept fails with
    "Too many open files"), does the server keep running, say so, and answer again once the idle
    connections are closed for sending nothing?"""
    server = start_server(async_mode=async_mode, open_files=(200, 200), settings={"HEADER_TIMEOUT_SECONDS": "2"})
    sockets = idle_connections(server, 300)
    try:
        assert len(sockets) == 300  # the kernel holds those the server cannot accept yet
        time.sleep(1.0)  # the server has tried to accept them all and ran out of descriptors
        assert server.process.poll() is None, server.log_tail()
        assert answers(server), server.log_tail()
    finally:
        close_all(sockets)
    assert server.process.poll() is None
    assert any("接受新连接失败" in line for line in server_log(server)), server.log_tail()


@pytest.mark.parametrize("async_mode", ASYNC_MODES)
def test_a_connection_that_trickles_its_request_is_closed(start_server, async_mode):
    """A connection sending one byte of its request every half second never completes it: is it
    closed by the header timeout (1 s here), however long it keeps trickling?"""
    server = start_server(async_mode=async_mode, settings={"HEADER_TIMEOUT_SECONDS": "1"})
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    closed = False
    try:
        for byte in b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 60:
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            if closed_by_server(connection, 0.5):
                closed = True
                break
        assert closed, "the trickling connection was never closed"
    finally:
        connection.close()


@pytest.mark.parametrize("async_mode", ASYNC_MODES)
def test_an_idle_keep_alive_connection_is_closed(start_server, async_mode):
    """After a complete request, does a keep-alive connection that sends nothing more get closed by
    the idle timeout (2 s here), while it stays open a moment after its answer?"""
    server = start_server(async_mode=async_mode, settings={"IDLE_TIMEOUT_SECONDS": "2"})
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    try:
        connection.sendall(b"GET /static/css/base.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        received = b""
        while b"\r\n\r\n" not in received:
            received += connection.recv(65536)
        assert received.startswith(b"HTTP/1.1 200")
        connection.settimeout(0.5)
        try:
            while connection.recv(65536):
                pass  # the rest of the answer
            pytest.fail("closed at once, not after being idle")
        except socket.timeout:
            pass
        assert closed_by_server(connection, 30)
    finally:
        connection.close()


@pytest.mark.parametrize("async_mode", ASYNC_MODES)
def test_one_address_gets_no_more_than_its_share_of_connections(start_server, async_mode):
    """With the cap at 20 connections per address, is the 21st connection from one address closed at
    once, and does the address get connections again when its others close?"""
    server = start_server(async_mode=async_mode, settings={"MAX_CONNECTIONS_PER_ADDRESS": "20"})
    sockets = idle_connections(server, 20)
    try:
        time.sleep(0.5)  # all 20 accepted
        extra = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        assert closed_by_server(extra, 10)
        extra.close()
    finally:
        close_all(sockets)
    assert answers(server)
    assert any("的连接已达上限 20" in line for line in server_log(server)), server.log_tail()
