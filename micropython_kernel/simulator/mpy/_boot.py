# The simulated board's boot, run by the VM before its REPL starts (as a port's frozen _boot.py mounts
# the flash), then dropped: what must stay lives in _board.py. MicroPython source, run inside the VM.
#
# It swaps the unix port's view of the host for a board's:
# - the host filesystem (VfsPosix at "/") is unmounted; the flash image (a file descriptor the kernel
#   passes, see simulator/flashstore.py) becomes the board's filesystem (littlefs2 or FAT on a block
#   device over that one file);
# - the simulator's own modules (machine, ...) stay importable from a read-only, unlisted folder;
# - sys.platform and os/vfs/sys look like the board's: no os.system/getenv, no VfsPosix, no socket.
# The Python-level hiding is how a board looks, not a security boundary (del sys.modules["os"] brings
# the unix port's os back): the host confines the VM process itself (simulator/confine.py).


def _open_flash(fs_type, device):
    # The filesystem on the image (littlefs checks it when made, FAT when mounted); a blank image is
    # formatted, as a port does on first boot. Returns (filesystem, whether it was formatted).
    try:
        flash = fs_type(device)
        flash.mount(False, False)
        return flash, False
    except OSError:
        fs_type.mkfs(device)
        flash = fs_type(device)
        flash.mount(False, False)
        return flash, True


def _board_module(name, builtin, drop, extra):
    # A module object standing for the built-in `name`, with what the board lacks left out. The empty
    # _board_<name>.py beside this file gives a real module object (repr, dir()) to fill.
    module = __import__("_board_" + name)
    table = module.__dict__
    for key in dir(builtin):
        if key not in drop and not key.startswith("__"):
            table[key] = getattr(builtin, key)
    table.update(extra)
    table["__name__"] = name
    table.pop("__file__", None)
    return module


def _dress_as_board(platform, machine_name):
    import os
    import sys

    import _board
    import vfs

    release = "{}.{}.{}".format(*sys.implementation.version[:3])
    extras = _board.os_extras((platform, platform, release, "v" + release, machine_name))
    unix_only = ("VfsPosix", "system", "getenv", "putenv", "unsetenv", "errno")
    replacements = (
        ("os", _board_module("os", os, unix_only, extras)),
        ("vfs", _board_module("vfs", vfs, ("VfsPosix",), {})),
        (
            "sys",
            _board_module(
                "sys",
                sys,
                ("executable", "platform", "implementation"),
                {
                    "platform": platform,
                    "implementation": _board.Implementation(sys.implementation, machine_name),
                },
            ),
        ),
    )
    modules = sys.modules
    for name, module in replacements:
        modules[name] = module
        modules["u" + name] = module  # "import uos" would otherwise reach the built-in
        modules.pop("_board_" + name, None)
    sys.argv.clear()
    __import__("gc").collect()


def boot(
    platform, machine_name, kind, block_size, block_count, mount_point, flat, image, lib_dir, first_files
):
    # Mount the flash image at mount_point in place of the host, and dress the VM as the board.
    import os
    import sys

    import _board
    import vfs

    lib = vfs.VfsPosix(lib_dir)  # unmounted: reachable only through the root's closure
    stream = open(image, "r+b")  # the image's file descriptor (an int): no host path needed
    vfs.umount("/")
    device = _board.FileBlockDevice(stream, block_size, block_count)
    flash, fresh = _open_flash(vfs.VfsLfs2 if kind == "lfs2" else vfs.VfsFat, device)
    at_root = mount_point == "/"
    vfs.mount(_board.make_root(flash if at_root else None, lib.open, lib.stat, flat), "/")
    if not at_root:
        vfs.mount(flash, mount_point)
    os.chdir(mount_point)
    if fresh:
        for name, text in first_files:
            with open(name, "w") as f:
                f.write(text)
    base = "" if at_root else mount_point
    sys.path[:] = ["", ".frozen", base + "/lib", _board.LIB]
    if not at_root:
        sys.path.insert(2, mount_point)  # a pyboard's path: '', '.frozen', '/flash', '/flash/lib'
    _dress_as_board(platform, machine_name)
