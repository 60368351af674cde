"""A real JupyterHub with students, driven as a teacher's script and the students' browsers would.

``ClassHub`` starts ``jupyterhub`` with the repo's ``hub/jupyterhub_config.py`` (JupyterHub 6, the
SimpleLocalProcessSpawner, npm's configurable-http-proxy) on free ports in a private folder, adds
students and starts their servers through the hub's REST API (the config's "teacher" service), and
opens a MicroPython kernel for each through the hub's proxy: REST to start it, its websocket to run
cells, exactly the path JupyterLab in a student's browser takes (with JupyterLab's websocket protocol,
``v1.kernel.websocket.jupyter.org``: the server passes the kernel's message parts through as they are,
where the older JSON protocol has it decode and re-encode every message).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "hub" / "jupyterhub_config.py"
PROXY_ENV = "CONFIGURABLE_HTTP_PROXY"  # a configurable-http-proxy command, if it is not on PATH
WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"  # JupyterLab 4's kernel websocket protocol


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_proxy() -> str | None:
    """The configurable-http-proxy command: $CONFIGURABLE_HTTP_PROXY, on PATH, or the .ci/run install."""
    for candidate in (
        os.environ.get(PROXY_ENV),
        shutil.which("configurable-http-proxy"),
        str(REPO / ".ci" / "node_modules" / ".bin" / "configurable-http-proxy"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def to_websocket(channel: str, parts: list[bytes]) -> bytes:
    """A message in the v1 protocol: the count of offsets, the offsets, the channel, then the parts
    (header, parent header, metadata, content as JSON), as jupyter_server's serialize_msg_to_ws_v1."""
    pieces = [channel.encode(), *parts]
    offsets = [8 * (len(pieces) + 2)]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    return b"".join(n.to_bytes(8, "little") for n in [len(offsets), *offsets]) + b"".join(pieces)


def from_websocket(data: bytes) -> tuple[str, list[bytes]]:
    """(channel, parts) of a v1 message."""
    count = int.from_bytes(data[:8], "little")
    offsets = [int.from_bytes(data[8 * i : 8 * i + 8], "little") for i in range(1, count + 1)]
    channel = data[offsets[0] : offsets[1]].decode()
    return channel, [data[offsets[i] : offsets[i + 1]] for i in range(1, count - 1)]


def missing_reason() -> str | None:
    """Why a hub cannot start here, or None."""
    if shutil.which("jupyterhub", path=str(Path(sys.executable).parent)) is None:
        return "jupyterhub is not installed (pip install jupyterhub==6.1.1)"
    if find_proxy() is None:
        return "configurable-http-proxy is missing (npm install configurable-http-proxy)"
    return None


@dataclass
class StudentKernel:
    """One student's MicroPython kernel, reached through the hub's proxy."""

    user: str
    kernel_id: str
    ws: WebSocketClientConnection
    session: str = field(default_factory=lambda: uuid.uuid4().hex)

    async def execute(self, code: str, timeout: float = 120) -> dict[str, Any]:
        """Run a cell; returns {"status", "stdout", "error", "seconds"} once the reply and idle came."""
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": "execute_request",
            "username": self.user,
            "session": self.session,
            "date": "",
            "version": "5.3",
        }
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": True,  # as JupyterLab sends it (a headless client sends False)
            "stop_on_error": True,
        }
        parts = [json.dumps(part).encode() for part in (header, {}, {}, content)]
        started = time.perf_counter()
        await self.ws.write_message(to_websocket("shell", parts), binary=True)
        result: dict[str, Any] = {"stdout": "", "error": None, "status": None}
        idle = False
        deadline = started + timeout
        while result["status"] is None or not idle:
            raw = await asyncio.wait_for(self.ws.read_message(), max(0.1, deadline - time.perf_counter()))
            if raw is None:
                raise ConnectionError(f"{self.user}: the kernel's websocket closed")
            _, (header, parent, _metadata, body, *_buffers) = from_websocket(raw)
            if json.loads(parent).get("msg_id") != msg_id:
                continue
            kind, content = json.loads(header)["msg_type"], json.loads(body)
            if kind == "execute_reply":
                result["status"] = content["status"]
            elif kind == "stream" and content.get("name") == "stdout":
                result["stdout"] += content["text"]
            elif kind == "error":
                result["error"] = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
        result["seconds"] = time.perf_counter() - started
        return result


class ClassHub:
    """A JupyterHub for ``folder`` (its database, log and the students' homes)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = self.folder / "jupyterhub.log"
        # (tornado's client runs 10 requests at a time by default: a class of 30 spawning at once would
        # queue behind it and time out)
        AsyncHTTPClient.configure(None, max_clients=200)
        self.http = AsyncHTTPClient()

    # -- the hub ---------------------------------------------------------------------------
    def start(self) -> None:
        proxy = find_proxy()
        assert proxy is not None, missing_reason()
        env = dict(
            os.environ,
            CLASS_DIR=str(self.folder),
            CLASS_URL=self.url,
            CLASS_HUB_PORT=str(free_port()),
            CLASS_PROXY_PORT=str(free_port()),
            CLASS_TEACHER_TOKEN=self.token,
            # jupyterhub-singleuser and the kernel: this Python's, whatever PATH says.
            PATH=os.pathsep.join(
                [str(Path(sys.executable).parent), str(Path(proxy).parent), os.environ["PATH"]]
            ),
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG)],
            cwd=self.folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stop() ends the hub, its proxy and the students' servers
        )
        log.close()

    async def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited:\n{self.log_tail()}")
            try:
                await self.api("GET", "/hub/api/")
                return
            except (ConnectionError, OSError, HTTPClientError):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the hub did not answer in {timeout} s:\n{self.log_tail()}") from None
                await asyncio.sleep(0.5)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # the hub stops the servers it spawned
            self.process.wait(60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process = None

    # -- the teacher's REST calls ------------------------------------------------------------
    async def api(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Any:
        request = HTTPRequest(
            self.url + path,
            method=method,
            headers={"Authorization": f"token {self.token}"},
            body=None if body is None else json.dumps(body),
            allow_nonstandard_methods=True,
            request_timeout=timeout,
        )
        response = await self.http.fetch(request)
        return json.loads(response.body) if response.body else None

    async def add_students(self, names: list[str]) -> None:
        await self.api("POST", "/hub/api/users", {"usernames": names})

    async def spawn(self, name: str, timeout: float = 600) -> float:
        """Start a student's server; returns the seconds until the hub says it is ready."""
        started = time.perf_counter()
        await self.api("POST", f"/hub/api/users/{name}/server", timeout=timeout)
        deadline = time.monotonic() + timeout
        while True:
            user = await self.api("GET", f"/hub/api/users/{name}")
            server = user.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.perf_counter() - started
            if not user.get("pending") and not server:
                raise RuntimeError(f"{name}'s server failed to start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name}'s server was not ready in {timeout} s")
            await asyncio.sleep(0.25)

    async def open_kernel(self, name: str, kernel: str = "micropython") -> StudentKernel:
        """Start a kernel in a student's server and connect to it, through the hub's proxy."""
        started = await self.api("POST", f"/user/{name}/api/kernels", {"name": kernel}, timeout=300)
        ws_url = self.url.replace("http", "ws", 1) + f"/user/{name}/api/kernels/{started['id']}/channels"
        ws = await websocket_connect(
            HTTPRequest(ws_url, headers={"Authorization": f"token {self.token}"}, request_timeout=120),
            max_message_size=64 * 1024 * 1024,
            subprotocols=[WS_PROTOCOL],
        )
        if ws.selected_subprotocol != WS_PROTOCOL:
            ws.close()
            raise RuntimeError(f"{name}'s server did not accept the {WS_PROTOCOL} websocket protocol")
        return StudentKernel(name, started["id"], ws)

    async def shutdown_kernel(self, kernel: StudentKernel) -> None:
        """Stop a student's kernel (its server's REST API, through the proxy), as closing a notebook's
        kernel in JupyterLab does."""
        await self.api("DELETE", f"/user/{kernel.user}/api/kernels/{kernel.kernel_id}", timeout=120)
