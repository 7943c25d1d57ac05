"""Refuse private, loopback and link-local destinations (server-side request forgery guard).

A source registry or a redirect could point the crawler at the machine it runs
on or at the internal network. Each host is resolved and every address it
resolves to must be public. Tests and local demos opt out with the one setting
``crawl.allow_private_networks`` (environment: ``VIGIL_CRAWL__ALLOW_PRIVATE_NETWORKS``
or its short name ``VIGIL_ALLOW_PRIVATE_NETWORKS``), which reaches the crawl as
the Scrapy setting ``VIGIL_ALLOW_PRIVATE_NETWORKS``.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache


class PrivateAddressError(Exception):
    """The host resolves to an address the crawler must not reach."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified)


@lru_cache(maxsize=4096)
def resolve(host: str) -> tuple[str, ...]:
    """Every address a host name resolves to (cached: the crawler asks once per host)."""
    try:
        return (str(ipaddress.ip_address(host.strip("[]"))),)
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return tuple(dict.fromkeys(info[4][0].split("%", 1)[0] for info in infos))


def check_host(host: str) -> None:
    """Raise :class:`PrivateAddressError` when ``host`` resolves to a non-public address."""
    try:
        addresses = resolve(host)
    except OSError as exc:
        raise PrivateAddressError(f"{host} does not resolve: {exc}") from None
    refused = [a for a in addresses if not is_public(a)]
    if refused:
        raise PrivateAddressError(f"{host} resolves to non-public address {refused[0]}")
