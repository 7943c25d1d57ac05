import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawlers.addresses import PrivateAddressError, check_host, is_public
from crawlers.middlewares.private_networks import PrivateAddressRefused, PrivateNetworkGuard
from crawlers.settings import scrapy_settings
from vigil.settings import load_settings


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254",
                                     "::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0"])
def test_non_public_addresses(address):
    assert not is_public(address)
    with pytest.raises(PrivateAddressError):
        check_host(address)


def test_public_address():
    assert is_public("93.184.216.34") and is_public("2606:4700::1111")
    check_host("93.184.216.34")


def test_guard_refuses_unless_the_setting_allows(monkeypatch):
    # The setting is the one switch: the environment variable alone no longer opens the guard.
    monkeypatch.setenv("VIGIL_ALLOW_PRIVATE_NETWORKS", "1")
    crawler = get_crawler(settings_dict={"VIGIL_ALLOW_PRIVATE_NETWORKS": False})
    guard = PrivateNetworkGuard.from_crawler(crawler)
    with pytest.raises(PrivateAddressRefused, match="non-public address 127.0.0.1"):
        guard.process_request(Request("http://localhost:8080/admin"))
    assert crawler.stats.get_value("vigil/refused/private_address") == 1
    allowed = get_crawler(settings_dict={"VIGIL_ALLOW_PRIVATE_NETWORKS": True})
    assert PrivateNetworkGuard.from_crawler(allowed).process_request(Request("http://127.0.0.1/")) is None


@pytest.mark.parametrize(("env", "expected"), [
    ({}, False),
    ({"VIGIL_ALLOW_PRIVATE_NETWORKS": "1"}, True),
    ({"VIGIL_CRAWL__ALLOW_PRIVATE_NETWORKS": "true"}, True),
    ({"VIGIL_ALLOW_PRIVATE_NETWORKS": "1", "VIGIL_CRAWL__ALLOW_PRIVATE_NETWORKS": "false"}, False),
])
def test_the_short_variable_is_the_settings_environment_name(monkeypatch, env, expected):
    for name in ("VIGIL_ALLOW_PRIVATE_NETWORKS", "VIGIL_CRAWL__ALLOW_PRIVATE_NETWORKS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert load_settings().crawl.allow_private_networks is expected
    assert scrapy_settings(load_settings().crawl)["VIGIL_ALLOW_PRIVATE_NETWORKS"] is expected
