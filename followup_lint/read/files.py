"""A draft file's bytes, bounded: the one reader of files on disk, shared by the reader
(read/draft.py) and the cache-hit front path (cli/hit.py), which must not import the rest of
read/ (decoding, front matter, regions) to find a report it already has."""

from __future__ import annotations

import errno
import os
import stat

from followup_lint.model.draft import DraftError

_NOT_A_FILE = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def read_file_bytes(fs_path: str, shown: str, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most `max_bytes` (DraftError past it). A named
    pipe, a device (/dev/zero) or a socket is refused without reading: it may never end."""
    try:
        # O_NONBLOCK: opening a named pipe with no writer would otherwise wait forever.
        fd = os.open(fs_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb", closefd=True) as fh:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                what = next((name for test, name in _NOT_A_FILE if test(mode)), "not a regular file")
                raise DraftError(
                    shown, f"is {what}, not a draft file (only regular files are read; pipe other input to -)"
                )
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
            chunks, size = [], 0
            while size <= max_bytes:  # never slurp a huge file just to refuse it
                chunk = fh.read(min(1 << 20, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > max_bytes:
                raise DraftError(shown, too_big(max_bytes, os.fstat(fd).st_size))
            return b"".join(chunks)
    except FileNotFoundError:
        if os.path.islink(fs_path):
            target = os.readlink(fs_path)
            raise DraftError(shown, f"broken symbolic link: it points to {target}, which does not exist") from None
        raise DraftError(shown, "no such file; check the path") from None
    except PermissionError:
        raise DraftError(shown, "permission denied; check the file's permissions") from None
    except IsADirectoryError:
        raise DraftError(shown, "is a directory, not a draft file") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise DraftError(shown, "symbolic link loop (the links lead in a circle); check where it points") from None
        raise DraftError(shown, f"cannot read the file: {e.strerror or e}") from None


def too_big(max_bytes: int, size: int | None = None) -> str:
    what = f"is {size:,} bytes, over" if size is not None and size > max_bytes else "is larger than"
    return (
        f"{what} the {max_bytes:,}-byte limit for a draft; is it the right file? "
        "(`max-file-size:` in the config raises the limit)"
    )
