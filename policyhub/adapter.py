"""allauth's account adapter: failed sign-ins counted per account and address, and the address
every limit counts by (policyhub.client)."""

from __future__ import annotations

import ipaddress
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .client import client_address


class AccountAdapter(DefaultAccountAdapter):
    """allauth counts failed sign-ins per network (ten a minute) and per account (five in
    five minutes). Counted per account alone, anyone anywhere who knows a person's email
    address can lock them out by failing five times; so the per-account count is kept for
    each network the failures come from. Guessing one password still stops after five
    tries from a network, and the person signs in from their own as usual."""

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{network_of(self.get_client_ip(request))}"

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's limits count by the same address as PolicyHub's own
        (policyhub.client.client_address), so the two cannot disagree about who a visitor
        is. Like allauth, a request whose address cannot be told is refused."""
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address


def network_of(address: str) -> str:
    """An IPv4 address itself; for IPv6 its /64, which one household or device holds whole
    (allauth's per-network limit groups addresses the same way)."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
