"""Spot a reverse proxy the app was not told about, and say so on /readyz and in the log.

With `WORKBENCH_PROXY_HOPS` at 0 the app takes the connecting address as the visitor's.
Behind an unannounced proxy that address is the proxy's, so every visitor shares it: the
per-address sign-in limits then count everybody together, and links may say `http`.
Two signs give it away, and each is reported once per process:

- a request carries `X-Forwarded-For`, `Forwarded` or `X-Real-IP` (proxies add them; a
  browser does not), which with 0 hops are ignored;
- a request comes from a loopback or private address, as a proxy on the same host or
  network does (a direct visitor on an office network does too, so this one is worded
  as a question).

Probe requests (`/healthz`, `/readyz`) are not inspected: a load balancer's health checks
come from private addresses without being visitors.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection
from functools import partial

from flask import Flask, request

EXTENSION = "workbench.proxy_warnings"
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")
# Where a proxy in front of the app usually sits: loopback, the private ranges (RFC 1918,
# IPv6 unique local) and shared address space. Python's `is_private` would also take in
# the documentation ranges, which are not where proxies live.
PROXY_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "::1/128",
        "fc00::/7",
    )
)

FORWARDED_WARNING = (
    "Requests arrive with {header} but WORKBENCH_PROXY_HOPS is 0, so the header is ignored "
    "and every visitor appears to come from the proxy at {address}: the per-address sign-in "
    "limits then count all visitors together. Set WORKBENCH_PROXY_HOPS to the number of "
    "proxies in front of the app."
)
PRIVATE_WARNING = (
    "Requests arrive from {address}, a loopback or private address, and WORKBENCH_PROXY_HOPS "
    "is 0. If a reverse proxy runs in front of the app, every visitor appears to come from "
    "it: set WORKBENCH_PROXY_HOPS to the number of proxies. Visitors connecting directly "
    "from a private network can ignore this."
)


def warnings(app: Flask) -> list[str]:
    """Return the proxy warnings this process has seen, in the order it saw them."""
    found: dict[str, str] = app.extensions.get(EXTENSION, {})
    return list(found.values())


def _warn_once(app: Flask, kind: str, message: str) -> None:
    found: dict[str, str] = app.extensions.setdefault(EXTENSION, {})
    if kind not in found:
        found[kind] = message
        app.logger.warning("Proxy configuration: %s", message)


def inspect_request(app: Flask, probes: Collection[str]) -> None:
    """Record a warning when the current request shows a proxy the app ignores."""
    if request.endpoint in probes:
        return
    address = request.remote_addr or "unknown"
    for header in FORWARDING_HEADERS:
        if header in request.headers:
            _warn_once(app, "forwarded", FORWARDED_WARNING.format(header=header, address=address))
            return
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return
    if any(parsed in network for network in PROXY_NETWORKS):
        _warn_once(app, "private", PRIVATE_WARNING.format(address=address))


def install(app: Flask, probes: Collection[str]) -> None:
    """Inspect requests (except the `probes` endpoints) for an ignored proxy, with 0 hops."""
    if int(app.config.get("PROXY_HOPS") or 0) > 0:
        return
    app.before_request(partial(inspect_request, app, probes))
