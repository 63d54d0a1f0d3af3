"""Which addresses fetch may connect to: the public Internet, and what the settings allow.

A profile names its feeds, and a feed names its images: whoever edits either
could point fetch at the machine it runs on (a CI runner's metadata service at
169.254.169.254, a database on 127.0.0.1, the office network). So every
connection, on every redirect hop, goes to an address checked *after* its name
was resolved, and to that very address (a second lookup could answer
otherwise): loopback, private, link-local, multicast and reserved addresses are
refused unless ``SOCIAL["allow_addresses"]`` names them. The lookup runs on a
worker thread, so that it too ends with the fetch's deadline.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Lookups that outlive their deadline finish here, in the background, without holding a fetch.
_resolver = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ambassade-resolve")


class AddressRefused(Exception):
    """The host resolves only to addresses fetch must not reach; the message says which."""


class LookupTimeout(Exception):
    """The host's name was not resolved before the deadline."""


def networks(values: Iterable[str]) -> tuple[Network, ...]:
    """The networks of ``SOCIAL["allow_addresses"]`` ("127.0.0.1", "10.0.0.0/8"); ValueError if one is not."""
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def refusal(address: Address, allowed: Sequence[Network]) -> str | None:
    """Why ``address`` may not be reached (None if it may)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in allowed if network.version == address.version):
        return None
    for kind, flag in (
        # Most specific first: Python counts link-local and reserved ranges as private too.
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved or address.is_unspecified),
        ("private", address.is_private),
    ):
        if flag:
            return kind
    return None if address.is_global else "non-public"


def resolve(host: str, port: int, timeout: float, allowed: Sequence[Network]) -> list[str]:
    """The addresses of ``host`` that may be reached, best first; raises if none may.

    Raises :class:`LookupTimeout` when the lookup takes longer than ``timeout``
    seconds, :class:`AddressRefused` when every address is refused, and
    ``OSError`` when the name does not resolve.
    """
    try:
        # An address needs no lookup (and a lookup service need not know of it).
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        future = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
        try:
            infos = future.result(timeout=max(timeout, 0))
        except FutureTimeout:
            raise LookupTimeout(f"looking up {host} took longer than the deadline") from None
    else:
        infos = [(None, None, None, "", (str(literal), port))]
    found: list[str] = []
    refused: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        text = str(sockaddr[0]).split("%", 1)[0]
        reason = refusal(ipaddress.ip_address(text), allowed)
        if reason is None:
            if text not in found:
                found.append(text)
        else:
            refused.append(f"{text} ({reason})")
    if not found:
        raise AddressRefused(
            f"refused {host}: it resolves to {', '.join(dict.fromkeys(refused))}, not a public address "
            "(SOCIAL['allow_addresses'] lists the networks allowed besides)"
        )
    return found
