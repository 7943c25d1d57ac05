import pytest
from scrapy import Request

from crawlers.addresses import PrivateAddressError, check_host, is_public, private_networks_allowed
from crawlers.middlewares.private_networks import PrivateAddressRefused, PrivateNetworkGuard


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254",
                                     "::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0"])
def test_non_public_addresses(address):
    assert not is_public(address)
    with pytest.raises(PrivateAddressError):
        check_host(address)


def test_public_address():
    assert is_public("93.184.216.34") and is_public("2606:4700::1111")
    check_host("93.184.216.34")


def test_guard_refuses_unless_allowed(crawler, monkeypatch):
    monkeypatch.delenv("VIGIL_ALLOW_PRIVATE_NETWORKS")
    assert not private_networks_allowed()
    guard = PrivateNetworkGuard.from_crawler(crawler)
    with pytest.raises(PrivateAddressRefused, match="non-public address 127.0.0.1"):
        guard.process_request(Request("http://localhost:8080/admin"))
    assert crawler.stats.get_value("vigil/refused/private_address") == 1
    monkeypatch.setenv("VIGIL_ALLOW_PRIVATE_NETWORKS", "1")
    assert PrivateNetworkGuard.from_crawler(crawler).process_request(Request("http://127.0.0.1/")) is None
