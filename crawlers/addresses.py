"""Refuse private, loopback and link-local destinations (server-side request forgery guard).

A source registry or a redirect could point the crawler at the machine it runs
on or at the internal network. Each host is resolved and every address it
resolves to must be public. Tests and local demos opt out with
``VIGIL_ALLOW_PRIVATE_NETWORKS=1`` or ``crawl.allow_private_networks``.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from functools import lru_cache

ALLOW_ENV = "VIGIL_ALLOW_PRIVATE_NETWORKS"


class PrivateAddressError(Exception):
    """The host resolves to an address the crawler must not reach."""


def private_networks_allowed(setting: bool = False) -> bool:
    return setting or os.environ.get(ALLOW_ENV, "").strip().lower() in {"1", "true", "yes"}


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
