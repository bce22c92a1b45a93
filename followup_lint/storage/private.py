"""A folder of our own: the one place that creates, opens, reads and deletes the files the
tool keeps for itself, and proves they are ours before touching them.

The rules (those of git, pip and ssh for their own folders):
- The folder is ours when it carries the CACHEDIR.TAG we write (a regular file, owned by us,
  with our line in it), or when we create it, or when it is empty or holds only names we use
  (then we mark it). A folder holding anything else is not ours: refused (`NotOurs`), and
  nothing in it is read, written or deleted.
- It must be a real folder owned by the user running us, not writable by anyone else; a
  folder we create in (the nearest existing parent) must not be writable by others unless
  it is sticky (/tmp), nor owned by another user (root aside). Otherwise `Unsafe`: the
  caller runs without the folder and says so.
- Once opened, everything inside is reached through the folder's descriptor (`dir_fd`),
  never following a symlink (`O_NOFOLLOW`); files read must be regular, ours, private and
  under a size limit. What is read is still untrusted input for the caller to validate.
- New files are written to a temporary name and renamed into place (mode 0600).
"""

from __future__ import annotations

import os
import stat

MARKER = "CACHEDIR.TAG"
MARKER_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file marks a cache directory created by followup-lint (https://bford.info/cachedir/).\n"
)
GITIGNORE = ".gitignore"
GITIGNORE_TEXT = "# Created by followup-lint: cached findings quote your drafts; keep them out of git.\n*\n"
_TMP_PREFIX = ".tmp-"

# What an older followup-lint could leave in a folder without marking it (the syllable
# table and its temporary file): a folder holding only these is adopted. Anything else,
# even a `results` folder, means the folder is not ours.
_KNOWN_PREFIXES = ("cmudict-syllables-", ".cmudict-")

_FD_OPS = os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW") and hasattr(os, "geteuid")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class Refused(Exception):
    """The folder is not used; str() is one line that says why and what to do."""


class NotOurs(Refused):
    """The folder holds files that are not ours: a usage error."""


class Unsafe(Refused):
    """Others could write in the folder (or it is not ours to write): run without it."""


def _euid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def _others_may_write(st) -> bool:
    return bool(st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _check_parent(path: str) -> None:
    """The nearest existing parent of a folder we are about to create."""
    euid = _euid()
    if euid is None:
        return
    parent = os.path.dirname(path)
    while parent and not os.path.lexists(parent):
        up = os.path.dirname(parent)
        if up == parent:
            break
        parent = up
    try:
        st = os.stat(parent)
    except OSError:
        return  # mkdir says what is wrong
    if st.st_uid not in (euid, 0):
        raise Unsafe(f"{path}: not created, since its parent {parent} belongs to another user")
    if _others_may_write(st) and not st.st_mode & stat.S_ISVTX:
        raise Unsafe(f"{path}: not created, since other users can write in its parent {parent}")


def _check_folder(path: str, st) -> None:
    if not stat.S_ISDIR(st.st_mode):
        raise Unsafe(f"{path}: not a folder")
    euid = _euid()
    if euid is None:
        return
    if st.st_uid != euid:
        raise Unsafe(f"{path}: the folder belongs to another user (uid {st.st_uid}), so it is not used")
    if _others_may_write(st):
        raise Unsafe(
            f"{path}: other users can write in this folder, so nothing in it is trusted "
            f"(`chmod 700 {path}` if it is yours alone)"
        )


def _known_name(name: str) -> bool:
    # A temporary name of ours too: another run may be marking the same new folder right now.
    return name.startswith(_KNOWN_PREFIXES) or (
        name.startswith(_TMP_PREFIX)
        and len(name) == len(_TMP_PREFIX) + 16
        and all(c in "0123456789abcdef" for c in name[len(_TMP_PREFIX) :])
    )


class PrivateFolder:
    """An opened folder of ours. Use `open_private` (or `sub`) to get one."""

    def __init__(self, path: str, fd: int | None):
        self.path, self.fd = path, fd

    # -- reaching names inside, without following links ---------------------------------
    def _at(self, name: str) -> tuple:
        if "/" in name or os.sep in name or name in ("", ".", ".."):
            raise ValueError(f"not a plain name: {name!r}")
        if self.fd is not None:
            return name, {"dir_fd": self.fd}
        return os.path.join(self.path, name), {}

    def _open(self, name: str, flags: int, mode: int = 0o600) -> int:
        where, kw = self._at(name)
        if self.fd is None and os.path.islink(where):
            raise OSError(f"{where}: a symlink")
        return os.open(where, flags | _NOFOLLOW | _CLOEXEC | _BINARY, mode, **kw)

    def read(self, name: str, limit: int) -> bytes | None:
        """The file's bytes, or None when it is absent, not a regular file of ours, not
        private, or over `limit` bytes."""
        try:
            fd = self._open(name, os.O_RDONLY | _NONBLOCK)
        except (OSError, ValueError):
            return None
        try:
            st = os.fstat(fd)
            euid = _euid()
            if (
                not stat.S_ISREG(st.st_mode)
                or st.st_size > limit
                or st.st_nlink != 1
                or (euid is not None and (st.st_uid != euid or _others_may_write(st)))
            ):
                return None
            chunks, left = [], limit + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            data = b"".join(chunks)
            return data if len(data) <= limit else None
        except OSError:
            return None
        finally:
            os.close(fd)

    def write(self, name: str, data: bytes) -> None:
        """Replace `name` with `data` in one step (mode 0600). Raises OSError."""
        tmp = f"{_TMP_PREFIX}{os.urandom(8).hex()}"
        fd = self._open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            if self.fd is not None:
                os.replace(tmp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            else:
                os.replace(os.path.join(self.path, tmp), os.path.join(self.path, name))
        except BaseException:
            self.remove(tmp)
            raise

    def create(self, name: str, data: bytes) -> None:
        """Write `name` unless something by that name exists already."""
        try:
            fd = self._open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            return
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)

    def touch(self, name: str) -> None:
        where, kw = self._at(name)
        try:
            if self.fd is not None:
                os.utime(where, dir_fd=self.fd, follow_symlinks=False)
            elif not os.path.islink(where):
                os.utime(where)
        except (OSError, NotImplementedError):
            pass

    def mtime(self, name: str) -> float | None:
        where, kw = self._at(name)
        try:
            st = os.stat(where, follow_symlinks=False, **kw)
        except OSError:
            return None
        return st.st_mtime if stat.S_ISREG(st.st_mode) else None

    def remove(self, name: str) -> None:
        where, kw = self._at(name)
        try:
            os.unlink(where, **kw)
        except OSError:
            pass

    def files(self):
        """(name, lstat) of the regular files directly inside; symlinks, folders and the
        like are left out."""
        try:
            with os.scandir(self.fd if self.fd is not None else self.path) as it:
                for entry in it:
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if stat.S_ISREG(st.st_mode):
                        yield entry.name, st
        except OSError:
            return

    def names(self) -> list:
        return os.listdir(self.fd if self.fd is not None else self.path)

    def sub(self, name: str) -> PrivateFolder:
        """Our subfolder `name`, created (0700) if missing; the same checks as the folder.
        Raises Refused or OSError."""
        where, kw = self._at(name)
        try:
            os.mkdir(where, 0o700, **kw)
        except FileExistsError:
            pass
        path = os.path.join(self.path, name)
        if self.fd is None:
            if os.path.islink(where):
                raise Unsafe(f"{path}: a symlink where our folder should be, so it is not used")
            _check_folder(path, os.stat(where))
            return PrivateFolder(path, None)
        try:
            fd = os.open(where, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, **kw)
        except OSError as exc:
            if os.path.islink(path):
                raise Unsafe(f"{path}: a symlink where our folder should be, so it is not used") from None
            raise exc
        try:
            _check_folder(path, os.fstat(fd))
        except BaseException:
            os.close(fd)
            raise
        return PrivateFolder(path, fd)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def open_private(directory, create: bool = True) -> PrivateFolder | None:
    """Open (creating it if `create`) the folder of ours at `directory`.

    None when it does not exist and `create` is false. Raises NotOurs when it holds files
    that are not ours, Unsafe when others could write in it, OSError when it cannot be made.
    """
    path = os.path.abspath(os.fspath(directory))
    made = False
    if not os.path.lexists(path):
        if not create:
            return None
        _check_parent(path)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        try:
            os.mkdir(path, 0o700)
            made = True
        except FileExistsError:
            pass
    euid = _euid()
    flags = os.O_RDONLY | _DIRECTORY | _CLOEXEC
    if os.path.islink(path):
        # A symlink of our own (or root's) may point at the folder; one planted by another
        # user in a shared folder (/tmp) may not.
        owner = os.lstat(path).st_uid
        if euid is not None and owner not in (euid, 0):
            raise Unsafe(f"{path}: a symlink made by another user (uid {owner}), so it is not followed")
    elif _FD_OPS:
        flags |= _NOFOLLOW
    if _FD_OPS:
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            _check_folder(path, st)
        except BaseException:
            os.close(fd)
            raise
        folder = PrivateFolder(path, fd)
    else:
        st = os.stat(path)
        _check_folder(path, st)
        folder = PrivateFolder(path, None)
    if made or not _is_marked(folder):
        try:
            names = folder.names()
        except OSError:
            folder.close()
            raise
        strangers = [n for n in names if not _known_name(n)]
        if strangers and not made:
            folder.close()
            raise NotOurs(
                f"{path}: not a followup-lint cache folder (it holds {_some(strangers)} and no "
                f"{MARKER} of ours); give --cache-dir a new or empty folder, or use --no-cache"
            )
        if folder.fd is not None:
            os.fchmod(folder.fd, 0o700)
        elif hasattr(os, "chmod"):
            os.chmod(path, 0o700)
        folder.write(MARKER, MARKER_TEXT.encode())  # first: a run starting meanwhile sees it ours
        folder.create(GITIGNORE, GITIGNORE_TEXT.encode())
    return folder


def _is_marked(folder: PrivateFolder) -> bool:
    return folder.read(MARKER, 4096) == MARKER_TEXT.encode()


def _some(names) -> str:
    shown = ", ".join(repr(n) for n in sorted(names)[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")
