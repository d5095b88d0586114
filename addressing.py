"""The address that phones in the hall can reach, for join links and QR codes.

Order of preference: the ``PUBLIC_URL`` setting; the address of the request as a reverse proxy
forwarded it; the machine's own address on the local network when the server listens on it;
the loopback address otherwise.
"""
import socket

# A documentation-only address (RFC 5737): connecting a UDP socket to it sends no packet, it only
# asks the operating system which local interface would be used to reach other networks.
_ROUTE_PROBE_ADDRESS = ("192.0.2.1", 9)


def detect_lan_ip() -> str:
    """The machine's address on its local network, or 127.0.0.1 when it has none."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(_ROUTE_PROBE_ADDRESS)
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def server_base_url(host: str, port: int, public_url: str | None) -> str:
    """The base URL printed at start-up and used when no request is at hand."""
    if public_url:
        return public_url.rstrip("/")
    if host in {"0.0.0.0", "::", ""}:
        return f"http://{detect_lan_ip()}:{port}"
    return f"http://{host}:{port}"


def client_address(environ: dict, trusted_proxies: int = 0) -> str:
    """The client's address of a WSGI request: the peer's, or, behind ``trusted_proxies`` proxies,
    the one they forwarded (the same rule as werkzeug's ProxyFix, for code that sees the raw environ)."""
    if trusted_proxies:
        forwarded = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    return environ.get("REMOTE_ADDR") or "unknown"
