"""The road network from a Valhalla server by URL: Valhalla's own server on the test tiles."""

import json
import socket
import subprocess
import time
from pathlib import Path

import pytest
import valhalla

from planning.geo import Source
from planning.legs import LegBook
from planning.roads import GRAPH
from tests.planning.osm import HEDEN, OSTBY, VESTBY, build_fjord

SERVER = Path(valhalla.__file__).parent / "bin" / "valhalla_service"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def valhalla_server(tmp_path_factory):
    """valhalla_service on 127.0.0.1, answering from the fjord's tiles; stopped afterwards."""
    folder = tmp_path_factory.mktemp("server")
    roads = build_fjord(folder)
    port = free_port()
    config = valhalla.get_config(tile_extract="", tile_dir=roads / GRAPH)
    config["httpd"]["service"].update(
        listen=f"tcp://127.0.0.1:{port}",
        loopback=f"ipc://{folder}/loopback",
        interrupt=f"ipc://{folder}/interrupt",
        drain_seconds=0,
        shutdown_seconds=0,
    )
    (folder / "valhalla.json").write_text(json.dumps(config))
    server = subprocess.Popen(
        [str(SERVER), str(folder / "valhalla.json"), "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_valhalla_server_by_url_gives_the_road(db, settings, valhalla_server):
    settings.ROUTING_URL = valhalla_server
    book = LegBook([VESTBY, OSTBY])
    drive = book.drive(VESTBY, OSTBY)
    assert book.engine.network == f"url:{valhalla_server}"
    assert drive.source == Source.ROAD and 24 < drive.km < 26


def test_the_server_says_when_no_road_is_near(db, settings, valhalla_server):
    settings.ROUTING_URL = valhalla_server
    assert LegBook([VESTBY, HEDEN]).drive(VESTBY, HEDEN).source == Source.NO_ROAD


def test_a_server_that_does_not_answer_gives_the_estimate_and_says_so(db, settings):
    settings.ROUTING_URL = f"http://127.0.0.1:{free_port()}"
    book = LegBook([VESTBY, OSTBY])
    drive = book.drive(VESTBY, OSTBY)
    assert drive.source == Source.ESTIMATE and not book.on_roads
    assert "svarer ikke" in book.problem
