"""A class on one JupyterHub: N students, each with a server and a MicroPython kernel (simulated board).

For each class size it starts a fresh hub (hub/jupyterhub_config.py: SimpleLocalProcessSpawner, npm's
configurable-http-proxy), then prints:
- spawn: seconds from "start my server" to ready, all students at once (a class logging in), and the
  kernels' start through the proxy; failed spawns;
- memory per student: unique (USS) of the student's Jupyter server, kernel and VM, and their RSS;
- idle CPU of the open kernels (and their VMs) over 10 s, in % of one core;
- cell latency p50/p95/max through the hub's proxy and websocket, with all students running the same
  cell at the same instant (a trivial cell, and a lesson cell), ROUNDS times;
- the CPU each cell cost in every process on its path during those bursts: this client (the students'
  browsers), the proxy (node), the hub, the students' servers (websocket <-> zmq), the kernels and
  their VMs. On C cores a burst of N cells takes at least N * (their sum) / C: the budget to cut;
- kernel deaths (every kernel must still answer at the end), and the machine's load average.
Then the same with ipykernel's ``python3`` kernel in the same hub (``--kernels``; the default runs
both): what Jupyter's own stack costs per cell, as a reference for ours.
``--direct`` runs the same burst on N kernels over jupyter_client with no hub: the kernels' own part.

Needs: pip install 'jupyterhub==6.1.1' (in the test extras), npm install configurable-http-proxy (or
$CONFIGURABLE_HTTP_PROXY naming it). Run: python benchmarks/class_hub.py [--students 1 10 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.hub_class import ClassHub, StudentKernel, missing_reason  # noqa: E402

TRIVIAL = "x = 1"
# Lesson 1's blink step and lesson 3's reading, as a student runs them.
LESSON = (
    "from machine import Pin, ADC\nled = Pin(2, Pin.OUT)\nled.value(not led.value())\n"
    "print('knob at', ADC(Pin(34)).read_u16() * 100 // 65535, '%')"
)
MB = 1024 * 1024


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def describe(latencies: list[float]) -> str:
    ms = [v * 1e3 for v in latencies]
    return (
        f"p50 {statistics.median(ms):6.1f} ms  p95 {percentile(ms, 0.95):6.1f} ms  "
        f"max {max(ms):6.1f} ms  ({len(ms)} cells)"
    )


LAYERS = ("client", "proxy", "hub", "server", "kernel", "VM")  # a cell's path, browser to board


def student_processes(hub_pid: int) -> dict[str, dict[str, list[psutil.Process]]]:
    """user -> {"server": [...], "kernel": [...], "vm": [...]} among the hub's descendants."""
    found: dict[str, dict[str, list[psutil.Process]]] = {}
    for process in psutil.Process(hub_pid).children(recursive=True):
        try:
            user = process.environ().get("JUPYTERHUB_USER")
            command = " ".join(process.cmdline())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        if not user or "jupyterhub-singleuser" not in command:
            continue
        groups = found.setdefault(user, {"server": [], "kernel": [], "vm": []})
        groups["server"].append(process)
        for kernel in process.children():  # (a kernel: started with its connection file)
            if "-f" in kernel.cmdline():
                groups["kernel"].append(kernel)
                groups["vm"] += kernel.children(recursive=True)  # (a VM has a minimal environment)
    return found


Groups = dict[str, dict[str, list[psutil.Process]]]  # user -> kind -> processes


def layers(hub_pid: int, groups: Groups) -> dict[str, list[psutil.Process]]:
    """Every process a cell passes through, by layer (LAYERS)."""
    hub = psutil.Process(hub_pid)
    proxy = [p for p in hub.children() if "configurable-http-proxy" in " ".join(p.cmdline())]
    return {
        "client": [psutil.Process()],
        "proxy": proxy,
        "hub": [hub],
        "server": [p for g in groups.values() for p in g["server"]],
        "kernel": [p for g in groups.values() for p in g["kernel"]],
        "VM": [p for g in groups.values() for p in g["vm"]],
    }


def memory_report(groups: dict[str, dict[str, list[psutil.Process]]]) -> str:
    per_kind: dict[str, list[float]] = {"server": [], "kernel": [], "vm": []}
    rss: list[float] = []
    for kinds in groups.values():
        student_rss = 0.0
        for kind, processes in kinds.items():
            uss = 0.0
            for process in processes:
                info = process.memory_full_info()
                uss += info.uss
                student_rss += info.rss
            per_kind[kind].append(uss / MB)
        rss.append(student_rss / MB)
    mean = {kind: statistics.mean(v) if v else 0.0 for kind, v in per_kind.items()}
    return (
        f"unique per student: server {mean['server']:.1f} MB + kernel {mean['kernel']:.1f} MB + "
        f"VM {mean['vm']:.1f} MB = {sum(mean.values()):.1f} MB "
        f"(kernel+VM {mean['kernel'] + mean['vm']:.1f} MB); "
        f"RSS {statistics.mean(rss):.1f} MB"
    )


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


async def idle_cpu(processes: list[psutil.Process], seconds: float = 10.0) -> float:
    before = cpu_seconds(processes)
    await asyncio.sleep(seconds)
    return (cpu_seconds(processes) - before) / seconds * 100


async def bursts(kernels: list[StudentKernel], code: str, rounds: int) -> tuple[list[float], int]:
    """Every kernel runs ``code`` at once, ``rounds`` times: the latencies, and the failed cells."""
    latencies: list[float] = []
    failed = 0
    for _ in range(rounds):
        results = await asyncio.gather(*(k.execute(code) for k in kernels), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) or result["status"] != "ok":
                failed += 1
            else:
                latencies.append(result["seconds"])
        await asyncio.sleep(0.3)
    return latencies, failed


def budget(before: dict[str, float], after: dict[str, float], cells: int, students: int) -> str:
    """CPU per cell of each layer, their sum, and the shortest burst that sum allows on this machine."""
    per_cell = {name: (after[name] - before[name]) / max(1, cells) * 1e3 for name in LAYERS}
    total = sum(per_cell.values())
    cores = psutil.cpu_count() or 1
    parts = " + ".join(f"{name} {ms:.2f}" for name, ms in per_cell.items())
    return (
        f"CPU per cell: {parts} = {total:.2f} ms; {students} at once on {cores} cores need "
        f">= {total * students / cores:.0f} ms"
    )


async def run_kernels(hub: ClassHub, names: list[str], kernel_name: str, rounds: int) -> None:
    """Open a ``kernel_name`` kernel for each student; measure memory, idle CPU and bursts; shut them."""
    print(f"-- {kernel_name} kernels")
    started = time.perf_counter()
    opened = await asyncio.gather(*(hub.open_kernel(n, kernel_name) for n in names), return_exceptions=True)
    kernels = [k for k in opened if isinstance(k, StudentKernel)]
    first = await asyncio.gather(
        *(k.execute("print(1)", timeout=300) for k in kernels), return_exceptions=True
    )
    failures = [r for r in list(opened) + list(first) if isinstance(r, BaseException)]
    kernels = [k for k, r in zip(kernels, first, strict=True) if not isinstance(r, BaseException)]
    print(
        f"kernels started and first cell run through the proxy: {time.perf_counter() - started:.1f} s "
        f"for all ({len(kernels)}/{len(names)} ok)"
    )
    for failure in failures[:3]:
        print(f"  failed: {type(failure).__name__}: {str(failure)[:200]}")
    if failures:
        print(f"  the hub's log ends:\n{hub.log_tail(20)}")
    if not kernels:
        return
    for _ in range(3):  # warm up
        await asyncio.gather(*(k.execute(TRIVIAL) for k in kernels), return_exceptions=True)
    assert hub.process is not None
    groups = student_processes(hub.process.pid)
    print(memory_report(groups))
    path = layers(hub.process.pid, groups)
    print(
        f"idle CPU over 10 s: kernels+VMs {await idle_cpu(path['kernel'] + path['VM']):.1f} % of a core "
        f"(servers {await idle_cpu(path['server'], 5.0):.1f} %)"
    )
    cells = [("trivial cell", TRIVIAL)]
    if kernel_name == "micropython":
        cells.append(("lesson cell", LESSON))
    for label, code in cells:
        before = {name: cpu_seconds(processes) for name, processes in path.items()}
        latencies, failed = await bursts(kernels, code, rounds)
        after = {name: cpu_seconds(processes) for name, processes in path.items()}
        print(f"{label}, all at once: {describe(latencies)}; failed {failed}")
        print(f"  {budget(before, after, len(latencies), len(kernels))}")
    answers = await asyncio.gather(*(k.execute("print(2)") for k in kernels), return_exceptions=True)
    alive = sum(1 for a in answers if not isinstance(a, BaseException) and a["stdout"] == "2\n")
    print(f"kernels answering at the end: {alive}/{len(kernels)}; load average: {os.getloadavg()}")
    for kernel in kernels:
        kernel.ws.close()
    await asyncio.gather(*(hub.shutdown_kernel(k) for k in kernels), return_exceptions=True)


async def run_class(students: int, rounds: int, folder: Path, kernel_names: list[str]) -> None:
    print(f"\n== {students} student(s); load average before: {os.getloadavg()}")
    hub = ClassHub(folder)
    hub.start()
    try:
        await hub.wait_ready()
        names = [f"student{i:02d}" for i in range(students)]
        await hub.add_students(names)
        started = time.perf_counter()
        spawned = await asyncio.gather(*(hub.spawn(name) for name in names), return_exceptions=True)
        spawn_times = [t for t in spawned if isinstance(t, float)]
        failed_spawns = len(spawned) - len(spawn_times)
        for name, result in zip(names, spawned, strict=True):
            if not isinstance(result, float):
                print(f"  {name}: spawn failed: {type(result).__name__}: {str(result)[:200]}")
        print(
            f"spawn (all at once): median {statistics.median(spawn_times):.1f} s, last "
            f"{max(spawn_times):.1f} s, whole class {time.perf_counter() - started:.1f} s; "
            f"failed spawns: {failed_spawns}"
        )
        ready = [n for n, t in zip(names, spawned, strict=True) if isinstance(t, float)]
        for kernel_name in kernel_names:  # one kind after the other, in the same hub
            await run_kernels(hub, ready, kernel_name, rounds)
    finally:
        hub.stop()


async def run_direct(students: int, rounds: int) -> None:
    """The same burst on kernels over jupyter_client (no hub, no Jupyter server)."""
    from jupyter_client.manager import start_new_async_kernel

    print(f"\n== {students} kernel(s) over jupyter_client, no hub; load average {os.getloadavg()}")
    pairs = [
        await start_new_async_kernel(kernel_name="micropython", startup_timeout=120) for _ in range(students)
    ]

    async def execute(client, code: str) -> float:
        started = time.perf_counter()
        msg_id = client.execute(code)
        reply = await client.get_shell_msg(timeout=120)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = await client.get_shell_msg(timeout=120)
        while True:
            message = await client.get_iopub_msg(timeout=120)
            if (
                message["parent_header"].get("msg_id") == msg_id
                and message["msg_type"] == "status"
                and message["content"]["execution_state"] == "idle"
            ):
                return time.perf_counter() - started

    try:
        for _ in range(3):
            await asyncio.gather(*(execute(c, TRIVIAL) for _, c in pairs))
        for label, code in (("trivial cell", TRIVIAL), ("lesson cell", LESSON)):
            latencies: list[float] = []
            for _ in range(rounds):
                latencies += await asyncio.gather(*(execute(c, code) for _, c in pairs))
                await asyncio.sleep(0.3)
            print(f"{label}, all at once: {describe(latencies)}")
    finally:
        for manager, client in pairs:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--rounds", type=int, default=20, help="bursts of each cell (default 20)")
    parser.add_argument("--direct", action="store_true", help="kernels over jupyter_client, no hub")
    parser.add_argument(
        "--kernels",
        nargs="+",
        default=["micropython", "python3"],
        help="kernels measured one after the other in each hub (default: micropython, then ipykernel's "
        "python3 as the reference)",
    )
    options = parser.parse_args()
    print(f"{psutil.cpu_count()} CPUs; processes on the machine: {len(psutil.pids())}")
    if options.direct:
        for students in options.students:
            asyncio.run(run_direct(students, options.rounds))
        return
    reason = missing_reason()
    if reason is not None:
        sys.exit(reason)
    for students in options.students:
        with tempfile.TemporaryDirectory(prefix="class-hub-") as folder:
            asyncio.run(run_class(students, options.rounds, Path(folder), options.kernels))


if __name__ == "__main__":
    main()
