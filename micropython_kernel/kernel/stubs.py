"""MicroPython's published type stubs (``.pyi``): signatures and docstrings for inspection and completion.

Each board family has a stubs package on PyPI, pinned below. They all put ``machine.pyi``, ``time.pyi`` ...
at the top of site-packages, so they cannot be installed side by side; instead ``python -m
micropython_kernel stubs`` fetches their wheels (pip download, once) into the user's data folder, and
the kernel reads the ``.pyi`` files straight from the wheels with ``ast``: nothing is imported, nothing
is fetched while the kernel runs. Without them inspection shows the live object only.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# The board's sys.platform -> the stubs wheel for it (pinned: a release cannot change what is shown).
STUB_PACKAGES = {
    "esp32": "micropython-esp32-stubs==1.29.0.post1",
    "rp2": "micropython-rp2-stubs==1.29.0.post1",
    "pyboard": "micropython-stm32-stubs==1.29.0.post1",
    "microbit": "micropython-microbit-stubs-en==0.0.1b2",  # the micro:bit's own docs (its v2 API)
}
FETCH_COMMAND = "python -m micropython_kernel stubs"
FOLDER_ENV = "MICROPYTHON_KERNEL_STUBS"  # where the wheels are (default: the user's data folder)
# Where a bare name (``Pin``, ``sleep_ms``) is looked for first: what makers import names from.
PREFERRED_MODULES = ("machine", "time", "micropython", "microbit", "neopixel", "network", "os", "sys")


@dataclass
class Doc:
    """What a stub says about one name: its kind, signature(s), docstring and members."""

    name: str
    kind: str  # "module", "class", "function", "instance" (a constant or an attribute)
    signature: str = ""  # e.g. "sleep_ms(ms: int) -> None"; overloads one a line
    doc: str = ""
    members: dict[str, Doc] = field(default_factory=dict)

    def text(self, qualified: str) -> str:
        """Signature(s) with the name as the user wrote it, then the docstring."""
        head = self.signature if self.signature else f"{qualified}: {self.kind}"
        if self.signature and "." in qualified:
            prefix = qualified.rsplit(".", 1)[0] + "."
            head = "\n".join(prefix + line for line in self.signature.splitlines())
        return head + (f"\n\n{self.doc}" if self.doc else "")


def stubs_folder() -> Path:
    configured = os.environ.get(FOLDER_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_data_dir("micropython-kernel")) / "stubs"


def download(folder: Path | None = None) -> list[Path]:
    """Fetch every pinned stubs wheel not yet in ``folder`` with pip; return the wheels there."""
    folder = folder or stubs_folder()
    folder.mkdir(parents=True, exist_ok=True)
    missing = [spec for spec in STUB_PACKAGES.values() if _wheel_for(folder, spec) is None]
    if missing:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q"]
            + ["-d", str(folder), *missing],
            check=True,
        )
    _load_folder.cache_clear()
    return sorted(folder.glob("*.whl"))


def _wheel_for(folder: Path, spec: str) -> Path | None:
    name, _, version = spec.partition("==")
    wheels = sorted(folder.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    return wheels[0] if wheels else None


def for_platform(platform: str) -> StubIndex | None:
    """The stubs of a board whose ``sys.platform`` is ``platform``, or None (none pinned, or not fetched)."""
    spec = STUB_PACKAGES.get(platform)
    if spec is None:
        return None
    return _load_folder(str(stubs_folder()), spec)


@lru_cache(maxsize=8)
def _load_folder(folder: str, spec: str) -> StubIndex | None:
    wheel = _wheel_for(Path(folder), spec)
    return StubIndex.from_wheel(wheel) if wheel is not None else None


class StubIndex:
    """The modules of one stubs package: module name -> its Doc (members are the module's names)."""

    def __init__(self, modules: dict[str, Doc]) -> None:
        self.modules = modules

    @classmethod
    def from_wheel(cls, wheel: Path) -> StubIndex:
        modules: dict[str, Doc] = {}
        star_imports: dict[str, list[str]] = {}
        with zipfile.ZipFile(wheel) as archive:
            for path in archive.namelist():
                if not path.endswith(".pyi") or ".dist-info/" in path:
                    continue
                name = _module_name(path)
                try:
                    tree = ast.parse(archive.read(path).decode("utf-8", "replace"))
                except SyntaxError:
                    continue
                modules[name] = Doc(name, "module", doc=_clean(ast.get_docstring(tree)))
                modules[name].members = _body_docs(tree.body, in_class=False)
                star_imports[name] = [
                    node.module or ""
                    for node in tree.body
                    if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
                ]
        for name, sources in star_imports.items():  # utime: ``from time import *``
            for source in sources:
                if source in modules:
                    for member, doc in modules[source].members.items():
                        modules[name].members.setdefault(member, doc)
        return cls(modules)

    def lookup(self, dotted: str) -> Doc | None:
        """The Doc of ``machine.Pin.value``-style names; a bare name is looked for in the modules too."""
        first, *rest = dotted.split(".")
        doc = self.modules.get(first) or self.modules.get(first.removeprefix("u"))
        if doc is None:
            doc = self.top_level(first)
        for part in rest:
            if doc is None:
                return None
            doc = doc.members.get(part)
        return doc

    def top_level(self, name: str) -> Doc | None:
        """A name defined at the top of a module (``Pin`` in machine), preferred modules first."""
        order = [m for m in PREFERRED_MODULES if m in self.modules] + sorted(self.modules)
        for module in order:
            doc = self.modules[module].members.get(name)
            if doc is not None and doc.kind != "module":
                return doc
        return None


def _module_name(path: str) -> str:
    parts = path.removesuffix(".pyi").split("/")
    if parts[0] == "stdlib":  # the micro:bit package keeps its stubs under stdlib/
        parts = parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _clean(doc: str | None) -> str:
    return (doc or "").strip()


def _body_docs(body: list[ast.stmt], in_class: bool) -> dict[str, Doc]:
    """Docs for the public names of a module or class body (imports and ``_`` names are left out)."""
    docs: dict[str, Doc] = {}
    for index, node in enumerate(body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name.startswith("_"):
                continue
            signature = _signature(node.name, node, in_class)
            existing = docs.get(node.name)
            if existing is not None and existing.kind == "function":  # an @overload
                if signature not in existing.signature.splitlines():
                    existing.signature += "\n" + signature
                existing.doc = existing.doc or _clean(ast.get_docstring(node))
                continue
            docs[node.name] = Doc(node.name, "function", signature, _clean(ast.get_docstring(node)))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            members = _body_docs(node.body, in_class=True)
            init = next(
                (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None
            )
            signature = _signature(node.name, init, True) if init is not None else f"{node.name}()"
            inits = [n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"]
            if len(inits) > 1:
                signature = "\n".join(dict.fromkeys(_signature(node.name, n, True) for n in inits))
            docs[node.name] = Doc(node.name, "class", signature, _clean(ast.get_docstring(node)), members)
        else:
            target = _assigned_name(node)
            if target and not target.startswith("_") and target not in docs and not _typing_only(node):
                annotation = getattr(node, "annotation", None)
                signature = f"{target}: {ast.unparse(annotation)}" if annotation is not None else ""
                docs[target] = Doc(target, "instance", signature, _following_docstring(body, index))
    return docs


def _typing_only(node: ast.stmt) -> bool:
    """A type alias or TypeVar of the stubs (``ID_T: TypeAlias = ...``): no name on the board."""
    annotation = getattr(node, "annotation", None)
    if annotation is not None and ast.unparse(annotation).endswith("TypeAlias"):
        return True
    value = getattr(node, "value", None)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id in ("TypeVar", "NewType", "ParamSpec")
    return False


def _assigned_name(node: ast.stmt) -> str:
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    return ""


def _following_docstring(body: list[ast.stmt], index: int) -> str:
    """A string literal right after an assignment documents it (the stubs' convention)."""
    if index + 1 < len(body):
        node = body[index + 1]
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            if isinstance(node.value.value, str):
                return _clean(node.value.value)
    return ""


def _signature(name: str, node: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> str:
    args = node.args
    if method:  # leave out self / cls, as a call shows it
        args = ast.arguments(
            posonlyargs=args.posonlyargs[1:] if args.posonlyargs else [],
            args=args.args[1:] if not args.posonlyargs else args.args,
            vararg=args.vararg,
            kwonlyargs=args.kwonlyargs,
            kw_defaults=args.kw_defaults,
            kwarg=args.kwarg,
            defaults=args.defaults,
        )
    show_returns = node.returns is not None and node.name != "__init__"  # (a class call gives the class)
    returns = f" -> {ast.unparse(node.returns)}" if show_returns and node.returns is not None else ""
    return f"{name}({ast.unparse(args)}){returns}"
