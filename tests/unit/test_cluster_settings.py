"""Does the cluster command give its processes the right shared settings, and the nginx template
come out whole for any set of ports and upload limit?"""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from operations.cluster import shared_environment
from operations.nginx_config import PLACE, ProxySettings, render


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a loaded machine draws slowly
@given(ports=st.lists(st.integers(1024, 65535), min_size=1, max_size=8, unique=True),
       upload_mb=st.integers(1, 512))
def test_every_place_of_the_template_is_filled(ports, upload_mb):
    """Is each port an upstream server of both the pages and the live connections, and the body limit
    the upload limit plus the form's allowance, with no place left over?"""
    text = render(ProxySettings(tuple(ports), listen="127.0.0.1:8080", upload_mb=upload_mb))
    assert not PLACE.search(text)
    for port in ports:
        assert text.count(f"server 127.0.0.1:{port} ") == 2
    assert f"client_max_body_size {upload_mb + 1}m;" in text
    assert f"不能超过 {upload_mb} MB" in text and "listen 127.0.0.1:8080;" in text


def test_no_ports_is_refused():
    with pytest.raises(ValueError, match="至少需要一个"):
        render(ProxySettings(()))


def test_live_connections_are_routed_by_the_pages_key_and_pages_round_robin():
    """The live upstream hashes the per-tab route key (never ip_hash: a hall shares one address)."""
    text = render(ProxySettings((5001, 5002)))
    directives = [line.strip() for line in text.splitlines() if not line.strip().startswith("#")]
    assert "hash $contest_route consistent;" in directives and "ip_hash;" not in directives
    assert "map $arg_route $contest_route" in text


@pytest.mark.parametrize("given_env, trusted", [
    ({}, "1"),                                            # loopback: only a local proxy reaches the processes
    ({"HOST": "127.0.0.1"}, "1"),
    ({"HOST": "0.0.0.0"}, None),                          # reachable by anyone: nothing trusted unless said
    ({"HOST": "0.0.0.0", "TRUSTED_PROXIES": "2"}, "2"),   # what the operator says wins
    ({"TRUSTED_PROXIES": "0"}, "0"),
])
def test_processes_trust_one_proxy_only_when_only_a_local_one_reaches_them(given_env, trusted):
    env = shared_environment(given_env)
    assert env.get("TRUSTED_PROXIES") == trusted
    assert env["DATABASE_AUTO_UPGRADE"] == "0"  # the cluster upgraded the schema once, before them
