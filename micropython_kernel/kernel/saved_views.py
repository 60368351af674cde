"""Views in a notebook saved while they were live come back as their pictures.

A view's output holds the widget's model id, and its model lived in the kernel that showed it. Reopened
with a new kernel, ipywidgets' manager (JupyterLab 4, Notebook 7) asks the kernel for its widget comms
(``comm_info_request``) and renders each widget output from the model of that id; a model it does not
find is "Error displaying widget: model not found": it never falls back to the output's picture
(docs/architecture.md, "Views in saved notebooks"). So:

- ``PictureStore``: after each cell the kernel keeps each live view's newest picture in the user's data
  folder, one small file per model id (a page that renders widgets never gets a newer output, so the
  saved file holds the picture the view had when it was shown);
- ``restore_pictures``: at that request, a new kernel reads its notebook (``JPY_SESSION_NAME``, set by
  jupyter_server) and makes, for each widget output whose model it does not hold, an ``ipywidgets.Image``
  under the saved model id showing the newest picture (else the one the output carries).
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SESSION_ENV = "JPY_SESSION_NAME"  # the notebook a jupyter_server kernel was started for
KEEP_DAYS = 30  # a picture nobody reopened for this long is removed
_MODEL_ID = re.compile(r"^[0-9a-f]{32}$")  # ipywidgets' model ids (uuid4 hex): nothing else names a file


def default_folder() -> Path:
    """Where pictures are kept: Jupyter's data folder (a JupyterHub student's home keeps it)."""
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "micropython-kernel" / "pictures"


class PictureStore:
    """The newest picture of each live view, by its widget's model id (written only when it changed)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()
        self._pruned = False

    def _path(self, model_id: str) -> Path | None:
        return self.folder / f"{model_id}.json" if _MODEL_ID.match(model_id) else None

    def put(self, model_id: str, picture: dict[str, str]) -> None:
        """Keep ``picture`` (an ``image/svg+xml`` and a ``text/plain``); a full disk loses only it."""
        path = self._path(model_id)
        if path is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._prune()
            part = path.with_suffix(".part")
            part.write_text(json.dumps(picture), encoding="utf-8")
            part.replace(path)  # (a reader never sees half a file)
        except OSError:
            pass

    def get(self, model_id: str) -> dict[str, str] | None:
        path = self._path(model_id)
        if path is None:
            return None
        try:
            picture = json.loads(path.read_text(encoding="utf-8"))
            os.utime(path)  # (reopened: keep it as long again)
        except (OSError, ValueError):
            return None
        return picture if isinstance(picture, dict) else None

    def _prune(self) -> None:
        """Once per kernel: remove pictures older than KEEP_DAYS."""
        if self._pruned:
            return
        self._pruned = True
        cutoff = time.time() - KEEP_DAYS * 86400
        for path in self.folder.glob("*.json"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass


def notebook_path(cwd: Path | None = None) -> Path | None:
    """The notebook this kernel was started for, if the server said (``JPY_SESSION_NAME``)."""
    name = os.environ.get(SESSION_ENV, "").strip()
    if not name.endswith(".ipynb"):
        return None
    path = Path(name)
    if not path.is_absolute():  # (an API path: the kernel starts in the notebook's folder)
        path = (cwd or Path.cwd()) / path.name
    return path if path.is_file() else None


def widget_outputs(notebook: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(model id, output data) of each widget output in a notebook's JSON."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if isinstance(cell, dict) else []:
            data = output.get("data") if isinstance(output, dict) else None
            view = data.get(WIDGET_VIEW) if isinstance(data, dict) else None
            model_id = view.get("model_id") if isinstance(view, dict) else None
            if isinstance(model_id, str) and model_id:
                yield model_id, data


def _joined(value: Any) -> str:
    """A notebook file splits text into a list of lines."""
    return "".join(value) if isinstance(value, list) else str(value)


def picture_widget(model_id: str, picture: dict[str, Any]) -> Any:
    """An ipywidgets.Image of ``picture`` under ``model_id``, or None if it holds no image."""
    import ipywidgets

    if "image/svg+xml" in picture:
        value, kind = _joined(picture["image/svg+xml"]).encode(), "svg+xml"
    elif "image/png" in picture:
        value, kind = base64.b64decode(_joined(picture["image/png"])), "png"
    else:
        return None
    return ipywidgets.Image(value=value, format=kind, model_id=model_id)


def restore_pictures(notebook: Path, alive: set[str], store: PictureStore) -> list[Any]:
    """A picture widget for each widget output of ``notebook`` whose model is not in ``alive``."""
    try:
        content = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(content, dict):
        return []
    made = []
    for model_id, data in widget_outputs(content):
        if model_id in alive:
            continue
        widget = picture_widget(model_id, store.get(model_id) or data)
        if widget is not None:
            alive.add(model_id)
            made.append(widget)
    return made
