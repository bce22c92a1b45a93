"""Binding and running: loopback sockets, uvicorn, the URL with the token."""

from __future__ import annotations

import errno
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import security

DEFAULT_PORT = 8765


class BindError(Exception):
    pass


def bind(hosts: list[str], port: int) -> tuple[list[socket.socket], int]:
    """Listening sockets on every host, all on one port (port 0: a free one). An address
    family the machine lacks (no IPv6, so no ::1) is skipped unless it is the only host."""
    sockets: list[socket.socket] = []
    problems = []
    for host in hosts:
        bare = host.strip("[]")
        try:
            infos = socket.getaddrinfo(bare, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        except socket.gaierror:
            infos = socket.getaddrinfo(bare, port, type=socket.SOCK_STREAM)
        family, _, _, _, address = infos[0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind((address[0], port) + tuple(address[2:]))
            sock.listen(128)
            sock.set_inheritable(True)
        except OSError as exc:
            sock.close()
            if exc.errno == errno.EADDRINUSE:
                for s in sockets:
                    s.close()
                raise BindError(f"port {port} on {host} is in use") from None
            problems.append(f"{host}: {exc.strerror or exc}")
            continue
        sockets.append(sock)
        if port == 0:
            port = sock.getsockname()[1]
    if not sockets:
        raise BindError("could not listen on " + "; ".join(problems))
    return sockets, port


@dataclass
class Running:
    url: str  # the page, token included
    base: str  # http://127.0.0.1:PORT
    token: str
    port: int
    hosts: list = field(default_factory=list)
    server: object = None
    thread: threading.Thread | None = None


def build(source, hosts: list[str], port: int, token: str | None = None):
    """(uvicorn.Server, sockets, Running) for an engine.Source, bound but not yet serving."""
    import uvicorn

    from .app import create_app

    sockets, port = bind(hosts, port)
    token = token or security.new_token()
    app = create_app(source, token, security.allowed_hosts(hosts, port))
    config = uvicorn.Config(
        app,
        lifespan="off",
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=2,
        ws="none",
    )
    shown = hosts[0] if ":" not in hosts[0] else f"[{hosts[0]}]"
    base = f"http://{shown}:{port}"
    running = Running(url=f"{base}/?token={token}", base=base, token=token, port=port, hosts=hosts)
    running.server = uvicorn.Server(config)
    return running.server, sockets, running


@contextmanager
def in_thread(source, hosts=("127.0.0.1",), port: int = 0, token: str | None = None):
    """Serve in a background thread while the block runs (tests, the bench)."""
    server, sockets, running = build(source, list(hosts), port, token)
    thread = threading.Thread(target=server.run, kwargs={"sockets": sockets}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    running.thread = thread
    try:
        yield running
    finally:
        server.should_exit = True
        thread.join(10)
        for s in sockets:
            s.close()
        server.config.app.app.state.serve.worker.close()


def run(source, hosts: list[str], port: int, open_browser: bool, echo) -> None:
    """Serve until Ctrl+C, printing (and opening) the URL once the server listens."""
    folder = source.folder
    try:
        server, sockets, running = build(source, hosts, port)
    except BindError as exc:
        if port != DEFAULT_PORT:
            raise
        server, sockets, running = build(source, hosts, 0)
        echo(f"followup-lint: {exc}; using port {running.port} instead")

    def announce():
        while not server.started:
            if server.should_exit:
                return
            time.sleep(0.05)
        where = f" (serving {folder})" if folder else ""
        echo(
            f"followup-lint serve{where}: open this address in your browser (Ctrl+C stops the server):\n\n    {running.url}\n"
        )
        if open_browser:
            import webbrowser

            try:
                webbrowser.open(running.url)
            except Exception:  # no browser here: the printed URL is enough
                pass

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run(sockets=sockets)
    finally:
        for s in sockets:
            s.close()
        server.config.app.app.state.serve.worker.close()
