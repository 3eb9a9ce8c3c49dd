"""Whether a server address can be reached by another company's server.

Pure helper (no Odoo model): the invitation shows our address, and a loopback or private
address gets a warning, because a peer on the internet will never reach it.
"""

import ipaddress
from urllib.parse import urlsplit

LOCAL_NAMES = {"localhost", "localhost.localdomain", ""}


def is_unreachable_address(url):
    """True when ``url`` names this machine or a private network (RFC 1918, loopback,
    link-local, unique-local IPv6) — an address no peer on the internet can call."""
    host = (urlsplit(url or "").hostname or "").lower()
    if host in LOCAL_NAMES or host.endswith(".localhost") or host.endswith(".local"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a domain name: public as far as we can tell without resolving it
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified
