# What stays in the simulated board's VM after boot (see _boot.py): the flash's block device and the
# filesystem mounted at "/". Kept small: it lives on the GC heap, where a real port has it in ROM.
# MicroPython source: it runs inside the VM, never in CPython.

LIB = "/.simulator"  # unlisted, read-only folder of the simulator's modules, last on sys.path
_getenv = __import__("os").getenv  # the unix port's, taken at boot before os is dressed as the board's
_PREFIX = LIB + "/"
# Modules a board without network lacks; importing one raises ImportError (a source made on open).
# (ssl, requests and mip are frozen in the unix port, found before this folder: without socket they
# cannot connect anyway.)
MISSING = ("socket", "websocket", "network")
_MISSING_SOURCE = "raise ImportError(\"no module named '%s'\")\n"


class FileBlockDevice:
    # The flash image as a block device (extended interface, as littlefs needs), through one file
    # object opened while the host filesystem was still mounted.

    def __init__(self, image, block_size, block_count):
        self.image = image
        self.block_size = block_size
        self.block_count = block_count

    def readblocks(self, block, buf, offset=0):
        self.image.seek(block * self.block_size + offset)
        self.image.readinto(buf)

    def writeblocks(self, block, buf, offset=0):
        self.image.seek(block * self.block_size + offset)
        self.image.write(buf)
        self.image.flush()

    def ioctl(self, op, arg):
        if op == 4:  # block count
            return self.block_count
        if op == 5:  # block size
            return self.block_size
        if op == 6:  # erase: nothing to do in a file
            return 0
        return None


def _lib_name(path):
    # The path below LIB ("/name", absolute: VfsPosix puts its root only before absolute paths), or
    # None for a flash path; "..", "." and empty parts never leave the folder.
    if not path.startswith(_PREFIX):
        return None
    rest = path[len(_PREFIX) - 1 :]
    for part in rest[1:].split("/"):
        if part in ("", ".", ".."):
            raise OSError(2)  # ENOENT
    return rest


def _missing_module(name):
    # "/socket.py" -> the ImportError source, else None. ("import usocket" goes straight to the
    # built-in, whatever the path holds: the process confinement is what stops it.)
    if name.endswith(".py") and name[1:-3] in MISSING:
        return _MISSING_SOURCE % name[1:-3]
    return None


def make_root(flash, lib_open, lib_stat, flat):
    # The VFS at "/": the flash filesystem (None when the port mounts it elsewhere, e.g. /flash on a
    # pyboard) plus LIB. lib_open/lib_stat reach the host folder of the simulator's modules; they live
    # only in this closure, so user code finds no host folder object as an attribute.

    def flash_or_fail(path, blocked=False):
        if flash is None or blocked or _lib_name(path) is not None:
            raise OSError(1 if flash is not None or blocked else 2)  # EPERM / ENOENT
        return flash

    class BoardRoot:
        def mount(self, readonly, mkfs):
            pass

        def umount(self):
            pass

        def open(self, path, mode):
            name = _lib_name(path)
            if name is None:
                return flash_or_fail(path).open(path, mode)
            if "w" in mode or "a" in mode or "+" in mode:
                raise OSError(30)  # EROFS
            source = _missing_module(name)
            if source is not None:
                import io

                return io.StringIO(source)
            return lib_open(name, mode)

        def stat(self, path):
            if path == LIB:
                return (0x4000, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            name = _lib_name(path)
            if name is None:
                return flash_or_fail(path).stat(path)
            if _missing_module(name) is not None:
                return (0x8000, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            return lib_stat(name)

        def ilistdir(self, path):
            if flash is None and _lib_name(path) is None and path in ("/", ""):
                return iter(())
            return flash_or_fail(path, path == LIB).ilistdir(path)

        def statvfs(self, path):
            if flash is None:
                return (0, 0, 0, 0, 0, 0, 0, 0, 0, 255)
            return flash.statvfs(path)

        def chdir(self, path):
            flash_or_fail(path, path == LIB).chdir(path)

        def getcwd(self):
            return "/" if flash is None else flash.getcwd()

        def mkdir(self, path):
            flash_or_fail(path, flat).mkdir(path)  # the micro:bit's filesystem has no directories

        def rmdir(self, path):
            flash_or_fail(path).rmdir(path)

        def remove(self, path):
            flash_or_fail(path).remove(path)

        def rename(self, old, new):
            flash_or_fail(new)
            flash_or_fail(old).rename(old, new)

    return BoardRoot()


def setting(name):
    # The kernel's settings for the simulator's own modules (MPK_* environment variables): the board's
    # os has no getenv, as a real board's has none.
    return _getenv(name) if name.startswith("MPK_") else None


def os_extras(uname_fields):
    # What a board's os has and the unix port's lacks.
    def uname():
        return uname_fields

    def sync():
        pass

    def size(path):  # the micro:bit's os.size(filename)
        import os

        return os.stat(path)[6]

    return {"uname": uname, "sync": sync, "size": size}


class Implementation:
    # sys.implementation as the board reports it (its _machine names the board).
    def __init__(self, real, machine):
        self.name = real.name
        self.version = real.version
        self._machine = machine
        self._mpy = getattr(real, "_mpy", 0)
