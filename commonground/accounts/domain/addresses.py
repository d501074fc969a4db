"""Which address a request came from, trusting ``X-Forwarded-For`` only from our proxies.

``REMOTE_ADDR`` is the peer of the TCP connection and cannot be forged. When that peer
is one of the configured trusted proxies, the proxy has appended the address *it* saw
to ``X-Forwarded-For``; everything left of that was sent by the client and may be
made up. So the header is read from the right, skipping trusted proxies, and the first
address that is not one of ours is the client. With no trusted proxies (the default)
the header is ignored altogether.

>>> trusted = parse_trusted_proxies(["10.0.0.1", "192.168.0.0/16"])
>>> client_address("10.0.0.1", "6.6.6.6, 203.0.113.9, 192.168.4.4", trusted)
'203.0.113.9'
>>> client_address("198.51.100.7", "1.2.3.4", trusted)
'198.51.100.7'
>>> client_address("198.51.100.7", "1.2.3.4", ())
'198.51.100.7'
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxyError(ValueError):
    """A TRUSTED_PROXIES entry is neither an address nor a network."""


def parse_trusted_proxies(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses (``10.0.0.1``) or networks (``10.0.0.0/8``, ``fd00::/8``) of our proxies.

    >>> parse_trusted_proxies(["proxy.local"])
    Traceback (most recent call last):
    ...
    commonground.accounts.domain.addresses.TrustedProxyError: TRUSTED_PROXIES: 'proxy.local' is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/8)
    """
    networks: list[Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise TrustedProxyError(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network "
                "(e.g. 10.0.0.1 or 10.0.0.0/8)"
            ) from None
    return tuple(networks)


def normalize(value: str) -> str | None:
    """An address in canonical form, without a port; None when it is not an address.

    >>> normalize(" 203.0.113.9:4711 "), normalize("[2001:DB8::1]:443"), normalize("unknown")
    ('203.0.113.9', '2001:db8::1', None)
    """
    text = value.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip.version == network.version and ip in network for network in trusted)


def client_address(remote_addr: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The client's address; see the module's docstring.

    A malformed entry stops the walk: what lies left of it cannot be trusted, so the last
    trusted hop seen is taken instead (the nearest thing to the client we can vouch for).

    >>> client_address("10.0.0.1", "garbage, 10.0.0.1", parse_trusted_proxies(["10.0.0.1"]))
    '10.0.0.1'
    >>> client_address("10.0.0.1", "", parse_trusted_proxies(["10.0.0.1"]))
    '10.0.0.1'
    """
    peer = normalize(remote_addr) or remote_addr.strip()
    if not trusted or normalize(remote_addr) is None or not is_trusted(peer, trusted):
        return peer
    nearest = peer
    for entry in reversed(forwarded_for.split(",")):
        if not entry.strip():
            continue
        address = normalize(entry)
        if address is None:
            return nearest
        if not is_trusted(address, trusted):
            return address
        nearest = address
    return nearest
