"""Shared fixtures: emulated routers of both dialects on loopback, and librouteros clients."""
from __future__ import annotations

import librouteros
import pytest

from ros_emulator import start_router

VERSIONS = {"v6": "6.49.13", "v7": "7.16.2"}
PASSWORD = "test-secret"


@pytest.fixture(params=sorted(VERSIONS))
def router(request):
    """A fresh emulated router, once per dialect (6.49.13 and 7.16.2)."""
    handle = start_router(identity=f"RTR-{request.param}", version=VERSIONS[request.param], password=PASSWORD)
    yield handle
    handle.stop()


@pytest.fixture
def router_v6():
    handle = start_router(identity="RTR-6", version=VERSIONS["v6"], password=PASSWORD)
    yield handle
    handle.stop()


@pytest.fixture
def router_v7():
    handle = start_router(identity="RTR-7", version=VERSIONS["v7"], password=PASSWORD)
    yield handle
    handle.stop()


def connect(handle, **kwargs):
    """An unmodified librouteros client logged in to `handle` over TCP."""
    return librouteros.connect("127.0.0.1", "admin", PASSWORD, port=handle.port, **kwargs)


@pytest.fixture
def api(router):
    client = connect(router)
    yield client
    client.close()


@pytest.fixture
def api6(router_v6):
    client = connect(router_v6)
    yield client
    client.close()


@pytest.fixture
def api7(router_v7):
    client = connect(router_v7)
    yield client
    client.close()
