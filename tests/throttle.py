"""
A throttling TCP proxy on loopback: a slow mobile link between the browser and the
live server, seen by every request the phone makes, the service worker's included
(Chromium's own throttling misses those). Each direction delays what it carries by
half the round trip and paces it at the link's bandwidth, and counts the bytes.

    with Throttle(target_port, down_kbps=400, up_kbps=400, rtt_ms=400) as proxy:
        page.goto(proxy.url + "/today/")
        proxy.bytes_down
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import deque

# Chromium's "Slow 3G" as Lighthouse uses it: 400 kbit/s each way, 400 ms round trip.
SLOW_3G = {"down_kbps": 400, "up_kbps": 400, "rtt_ms": 400}


class _Pipe:
    """One direction of one connection: read at once, deliver late and paced."""

    def __init__(self, proxy: Throttle, source, sink, kbps: float, down: bool):
        self.proxy, self.source, self.sink = proxy, source, sink
        self.bytes_per_second = kbps * 1000 / 8
        self.down = down
        self.chunks: deque = deque()
        self.ready = threading.Condition()
        self.closed = False

    def start(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._write, daemon=True).start()

    def _read(self) -> None:
        try:
            while data := self.source.recv(16384):
                with self.ready:
                    self.chunks.append((time.monotonic(), data))
                    self.ready.notify()
        except OSError:
            pass
        with self.ready:
            self.closed = True
            self.ready.notify()

    def _write(self) -> None:
        link_free_at = 0.0
        try:
            while True:
                with self.ready:
                    while not self.chunks and not self.closed:
                        self.ready.wait()
                    if not self.chunks:
                        break
                    received, data = self.chunks.popleft()
                # Half the round trip on the way, then as fast as the link carries it.
                start = max(received + self.proxy.rtt / 2, link_free_at)
                link_free_at = start + len(data) / self.bytes_per_second
                delay = link_free_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                self.sink.sendall(data)
                self.proxy.count(len(data), down=self.down)
        except OSError:
            pass
        for end in (self.sink, self.source):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


class Throttle:
    """Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:``target_port``."""

    def __init__(self, target_port: int, *, down_kbps=400, up_kbps=400, rtt_ms=400):
        self.target_port = target_port
        self.down_kbps, self.up_kbps, self.rtt = down_kbps, up_kbps, rtt_ms / 1000
        self.lock = threading.Lock()
        self.bytes_down = 0
        self.bytes_up = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def count(self, size: int, *, down: bool) -> None:
        with self.lock:
            if down:
                self.bytes_down += size
            else:
                self.bytes_up += size

    def reset(self) -> None:
        with self.lock:
            self.bytes_down = self.bytes_up = 0

    def _serve(self) -> None:
        while True:
            try:
                client, _address = self.server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            _Pipe(self, client, upstream, self.up_kbps, down=False).start()
            _Pipe(self, upstream, client, self.down_kbps, down=True).start()

    def __enter__(self) -> Throttle:
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.close()
