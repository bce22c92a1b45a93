"""Writing fixes back to files: lint, apply the chosen edits, lint again (a fix can uncover
another), and replace the file atomically in its own encoding and line endings.
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from dataclasses import dataclass

from followup_lint.engine.fixes import apply, choose, edits_of


@dataclass
class FixOutcome:
    path: str
    before: str | None = None  # the decoded file before and after
    after: str | None = None
    data: bytes | None = None  # the bytes to write, when something changed
    applied: int = 0  # fixes applied
    unsafe_left: int = 0  # unsafe fixes left for --unsafe-fixes
    refused: str | None = None  # why the file was not touched
    error: str | None = None  # why it could not be read or linted (one line, path first)
    write_error: str | None = None  # why the fixed file could not be written (the draft is intact)

    @property
    def changed(self) -> bool:
        return self.data is not None


MAX_PASSES = 4  # a fix can uncover another (or two fixes overlap): lint again, a few times


def fix_bytes(linter, data: bytes, display: str, unsafe: bool = False, fmt: str | None = None) -> FixOutcome:
    """Lint and fix a draft given as the file's bytes; nothing is written."""
    from followup_lint.model.draft import DraftError
    from followup_lint.read.draft import read_bytes

    out = FixOutcome(display)
    try:
        draft = read_bytes(data, display, format=fmt, max_bytes=linter.config.max_file_size)
    except DraftError as exc:
        out.error = str(exc)
        return out
    reason = not_fixable(draft, data)
    report = linter.lint_draft(draft)
    if report.error is not None:
        out.error = str(report.error)
        return out
    if reason:
        out.refused = reason if any(f.fix for f in report.findings) or draft.format == "eml" else None
        return out
    out.before = draft.raw
    current = data
    for _ in range(MAX_PASSES):
        chosen = choose(report.findings, unsafe)
        if not chosen:
            break
        text = apply(draft.raw, edits_of(chosen))
        try:
            current = encode_like(text, draft.encoding, data)
        except (UnicodeEncodeError, LookupError):
            out.refused = f"a fix adds characters the file's encoding ({draft.encoding}) cannot hold; fix it by hand"
            return FixOutcome(display, refused=out.refused)
        try:
            draft = read_bytes(current, display, format=fmt)
        except DraftError as exc:  # never write what would no longer read
            return FixOutcome(display, refused=f"fixing would leave an unreadable draft ({exc.message})")
        report = linter.lint_draft(draft)
        out.applied += len(chosen)
        if report.error is not None:
            return FixOutcome(display, refused=f"fixing would break the draft ({report.error})")
    out.unsafe_left = 0 if unsafe else sum(1 for f in report.findings if f.fix and not f.fix.safe)
    if current != data:
        out.after, out.data = draft.raw, current
    return out


def fix_file(
    linter, path, display: str, unsafe: bool = False, write: bool = True, read_only: bool = False
) -> FixOutcome:
    """Fix one file in place. A read-only file is left alone unless `read_only`; a file that
    changes while it is linted is not overwritten; a file with other names (hard links) is
    rewritten in place, so they all keep naming it."""
    from followup_lint.read.draft import format_for

    try:
        with open(path, "rb") as fh:
            before = os.fstat(fh.fileno())
            data = fh.read()
    except OSError:
        from followup_lint.model.draft import DraftError
        from followup_lint.read.draft import read_path

        try:  # read again for read_path's own words about what is wrong
            read_path(path, display=display)
        except DraftError as exc:
            return FixOutcome(display, error=str(exc))
        return FixOutcome(display, error=f"{display}: cannot read the file")
    out = fix_bytes(linter, data, display, unsafe, fmt=format_for(os.fspath(path)))
    if not (write and out.changed):
        return out
    if not read_only and (
        not before.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)
    ):
        return FixOutcome(
            display,
            refused="the file is read-only (add --fix-readonly to fix it anyway)",
            applied=0,
            unsafe_left=out.unsafe_left,
        )
    try:
        write_checked(path, out.data, data, before)
    except FileChanged as exc:
        return FixOutcome(display, refused=str(exc))
    except OSError as exc:
        return FixOutcome(
            display, write_error=f"{display}: not fixed: cannot write it ({exc.strerror or exc}); the file is unchanged"
        )
    return out


class FileChanged(Exception):
    pass


def _same(path, data: bytes, before) -> bool:
    try:
        with open(path, "rb") as fh:
            now = os.fstat(fh.fileno())
            if (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns) != (
                before.st_ino,
                before.st_dev,
                before.st_size,
                before.st_mtime_ns,
            ):
                return False
            return fh.read() == data
    except OSError:
        return False


def write_checked(path, new: bytes, old: bytes, before) -> None:
    """Write the fixed bytes unless the file changed since `old` was read (its size, time,
    identity or bytes): an edit saved meanwhile is never lost. Raises FileChanged or OSError."""
    if not _same(path, old, before):
        raise FileChanged("the file changed while it was being fixed, so it was left as it is now; run --fix again")
    if before.st_nlink > 1:
        write_in_place(path, new, old)
    else:
        write_atomic(path, new)


def write_in_place(path, new: bytes, old: bytes) -> None:
    """Overwrite the file through its own inode (its other hard-linked names see the fix, as
    editors do); if the write fails part-way, the old bytes are put back."""
    fd = os.open(path, os.O_WRONLY)
    try:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            view = memoryview(new)
            while view:
                view = view[os.write(fd, view) :]
            os.ftruncate(fd, len(new))
            os.fsync(fd)
        except OSError:
            os.lseek(fd, 0, os.SEEK_SET)
            view = memoryview(old)
            while view:
                view = view[os.write(fd, view) :]
            os.ftruncate(fd, len(old))
            raise
    finally:
        os.close(fd)


def not_fixable(draft, data: bytes) -> str | None:
    """Why a draft must not be rewritten, or None."""
    if any(p.decoded and p.source != "RFC 2047 subject" for p in draft.pieces):
        return "its body is encoded (base64, quoted-printable or HTML), so it is not rewritten; edit it in your mail program"
    try:
        exact = encode_like(draft.raw, draft.encoding, data) == data
    except (UnicodeEncodeError, LookupError):
        exact = False
    if not exact:
        return "it could not be read exactly (damaged or mixed characters), so it is not rewritten"
    return None


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF8, "utf-8"),
)


def encode_like(text: str, encoding: str, original: bytes) -> bytes:
    """Encode as the original file was: same encoding, same byte-order mark."""
    for bom, codec in _BOMS:
        if original.startswith(bom):
            return bom + text.encode(codec)
    return text.encode(encoding)


def write_atomic(path, data: bytes) -> None:
    """Replace the file's content in one step (a temporary file renamed over it), keeping
    its permission bits; a symlink keeps pointing at the file it names."""
    target = os.path.realpath(path)
    info = os.stat(target)
    folder, name = os.path.split(target)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        try:
            os.chown(tmp, info.st_uid, info.st_gid)
        except (PermissionError, AttributeError):
            pass  # not ours to give away; the content is what matters
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
