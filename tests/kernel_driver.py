"""Drive the installed ``micropython`` kernel through jupyter_client, as a notebook does."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import jupyter_client


@dataclass
class CellRun:
    """Everything a frontend received for one execute request."""

    reply: dict[str, Any]
    messages: list[dict[str, Any]] = field(default_factory=list)  # iopub messages, arrival order
    arrival: list[float] = field(default_factory=list)  # seconds since the request, per message

    @property
    def status(self) -> str:
        return self.reply["content"]["status"]

    @property
    def stdout(self) -> str:
        return "".join(
            m["content"]["text"]
            for m in self.messages
            if m["msg_type"] == "stream" and m["content"]["name"] == "stdout"
        )

    @property
    def text(self) -> str:
        """What a text-only frontend shows: the stdout, and the text/plain of rich outputs (tables of
        %status and %lsmagic), their wrapped lines joined back (a continuation starts with spaces)."""
        shown = [self.stdout]
        for m in self.messages:
            if m["msg_type"] in ("display_data", "execute_result"):
                plain = m["content"]["data"].get("text/plain", "")
                shown.append(re.sub(r"\n +", " ", plain) + "\n")
        return "".join(shown)

    @property
    def stderr(self) -> str:
        return "".join(
            m["content"]["text"]
            for m in self.messages
            if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"
        )

    @property
    def error(self) -> dict[str, Any] | None:
        errors = [m["content"] for m in self.messages if m["msg_type"] == "error"]
        return errors[-1] if errors else None

    def of_type(self, msg_type: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["msg_type"] == msg_type]


class KernelSession:
    """A started kernel and its client."""

    def __init__(
        self, kernel_name: str = "micropython", env: dict[str, str] | None = None, cwd: str | None = None
    ) -> None:
        extra: dict[str, Any] = {"env": env} if env is not None else {}
        if cwd is not None:
            extra["cwd"] = cwd  # the kernel's working directory: the notebook's folder
        self.manager, self.client = jupyter_client.manager.start_new_kernel(
            kernel_name=kernel_name, startup_timeout=60, **extra
        )

    def execute(self, code: str, timeout: float = 60, on_message: Any = None) -> CellRun:
        """Run a cell; collect its iopub messages until the kernel is idle again."""
        started = time.monotonic()
        msg_id = self.client.execute(code)
        run = CellRun(reply={})
        deadline = started + timeout
        while True:
            message = self.client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            run.messages.append(message)
            run.arrival.append(time.monotonic() - started)
            if on_message is not None:
                on_message(message)
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                break
        while True:
            reply = self.client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                run.reply = reply
                return run

    def interrupt(self) -> None:
        self.manager.interrupt_kernel()

    def is_alive(self) -> bool:
        return self.manager.is_alive()

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


class MessagePump:
    """Every iopub message of a kernel, sorted by the request it answers, for tests that send comm
    messages while a cell runs and wait for their busy/idle (as the ipywidgets frontend does)."""

    def __init__(self, session: KernelSession) -> None:
        self.session = session
        self.client = session.client
        self.by_parent: dict[str, list[dict[str, Any]]] = {}
        self.received_at: dict[int, float] = {}  # id(message) -> time.monotonic() on arrival
        self.arrived: list[dict[str, Any]] = []  # every message, in arrival order

    def execute(self, code: str) -> str:
        """Send a cell without waiting for it; returns its msg_id."""
        return self.client.execute(code)

    def send_update(self, comm_id: str, state: dict[str, Any]) -> tuple[str, float]:
        """A widget's state change from the page; returns its msg_id and when it was sent."""
        request = self.client.session.msg(
            "comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state}}
        )
        self.client.shell_channel.send(request)
        return request["header"]["msg_id"], time.monotonic()

    def pump(self, timeout: float = 0.05) -> None:
        """Read what iopub has now (waiting up to ``timeout`` for the first message)."""
        try:
            message = self.client.get_iopub_msg(timeout=timeout)
        except Exception:  # queue.Empty
            return
        while True:
            self.received_at[id(message)] = time.monotonic()
            self.arrived.append(message)
            parent = message["parent_header"].get("msg_id", "")
            self.by_parent.setdefault(parent, []).append(message)
            try:
                message = self.client.get_iopub_msg(timeout=0)
            except Exception:
                return

    def messages(self, msg_id: str, msg_type: str | None = None) -> list[dict[str, Any]]:
        found = self.by_parent.get(msg_id, [])
        return [m for m in found if msg_type is None or m["msg_type"] == msg_type]

    def states(self, msg_id: str) -> list[str]:
        return [m["content"]["execution_state"] for m in self.messages(msg_id, "status")]

    def wait_for(self, condition: Any, timeout: float = 60) -> bool:
        """Pump until ``condition()`` holds; False after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                return False
            self.pump()
        return True

    def idle(self, msg_id: str) -> bool:
        return "idle" in self.states(msg_id)

    def idle_at(self, msg_id: str) -> float | None:
        idles = [m for m in self.messages(msg_id, "status") if m["content"]["execution_state"] == "idle"]
        return self.received_at.get(id(idles[0])) if idles else None

    def stdout(self, msg_id: str) -> str:
        return "".join(
            m["content"]["text"] for m in self.messages(msg_id, "stream") if m["content"]["name"] == "stdout"
        )

    def comm_opens(self, msg_id: str) -> dict[str, dict[str, Any]]:
        return {
            m["content"]["comm_id"]: m["content"]["data"]["state"] for m in self.messages(msg_id, "comm_open")
        }
