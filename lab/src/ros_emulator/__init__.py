"""A RouterOS API emulator: the router side of the API, for 6.49 and 7.x, on TCP and TLS."""
from .router import Router
from .runtime import EmulatedRouter, start_router

__all__ = ["Router", "EmulatedRouter", "start_router"]
