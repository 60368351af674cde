"""Drive the installed ``micropython`` kernel through jupyter_client, as a notebook does."""

from __future__ import annotations

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
