"""``python -m micropython_kernel run NOTEBOOK``: execute a notebook headless and print what it shows."""

from __future__ import annotations

import argparse
import sys

ANSI_SGR = __import__("re").compile(r"\x1b\[[0-9;]*m")


def _output_text(output: dict) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return output.get("text", "")
    if kind in ("execute_result", "display_data"):
        data = output.get("data", {})
        return data.get("text/plain", "[" + ", ".join(data) + "]") + "\n"
    if kind == "error":
        return ANSI_SGR.sub("", "\n".join(output.get("traceback", []))) + "\n"
    return ""


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PICTURES = ("image/svg+xml", "image/png")


def keep_pictures(notebook: dict) -> int:
    """The kernel has ended, so the views' widgets are gone: each view's output keeps its picture
    (a frontend opening the saved notebook would say "model not found"). Returns how many."""
    count = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and any(kind in data for kind in PICTURES):
                del data[WIDGET_VIEW]
                count += 1
    if count:  # (the widgets' saved states would only make nbconvert fetch a widget renderer)
        notebook.get("metadata", {}).pop("widgets", None)
    return count


def main(argv: list[str] | None = None) -> int:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    parser = argparse.ArgumentParser(prog="python -m micropython_kernel run", description=__doc__)
    parser.add_argument("notebook")
    parser.add_argument("--output", help="also save the executed notebook here")
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell")
    options = parser.parse_args(argv)

    notebook = nbformat.read(options.notebook, as_version=4)
    client = NotebookClient(notebook, timeout=options.timeout, kernel_name="micropython")
    status = 0
    try:
        client.execute()
    except CellExecutionError as err:
        print(f"A cell failed:\n{err}", file=sys.stderr)
        status = 1
    keep_pictures(notebook)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        print(f"In [{cell.get('execution_count') or ' '}]: " + cell.source.replace("\n", "\n        "))
        for output in cell.get("outputs", []):
            print(_output_text(output), end="")
        print()
    if options.output:
        nbformat.write(notebook, options.output)
    return status
