"""Writing user-visible files safely: atomically, with one clear error for a bad path.

Every file chaingraph writes for the user (Excel lists, HTML maps, staging graphs, imported and
merged Turtle) is written to a temporary name in the target's folder and renamed into place, so
a crash, a full disk or kill -9 leaves either the old file or the new one, never half of one.
Temporary names start with ``.`` and end in ``.part``: the loader, which reads ``*.ttl`` and
skips hidden files, never sees them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from pathlib import Path

from chaingraph.errors import ChaingraphError

TEMP_SUFFIX = ".part"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def output_error(path: Path, exc: OSError) -> ChaingraphError:
    """One line naming ``path`` and what the system said (no space left, permission, …)."""
    reason = exc.strerror or str(exc)
    hint = {
        errno.ENOSPC: "free some disk space and run the command again",
        errno.EROFS: "the file system is read-only; choose another folder with -o",
        errno.EACCES: "choose a folder you can write to",
        errno.EPERM: "choose a folder you can write to",
    }.get(exc.errno or 0)
    return ChaingraphError(f"cannot write {path}: {reason}" + (f" ({hint})" if hint else ""))


def save_atomically(save, path: Path) -> Path:
    """Call ``save(tmp)`` for a temporary file beside ``path``, then rename it onto ``path``.

    The folder is created if needed.  Output-path problems (a folder in the way, no permission,
    read-only file system, full disk, a name too long) become one :class:`ChaingraphError`
    naming the path; the previous file, if any, is left as it was.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> save_atomically(lambda t: pathlib.Path(t).write_text("x"), d / "a.txt").read_text()
    'x'
    >>> save_atomically(lambda t: None, d)
    Traceback (most recent call last):
    ...
    chaingraph.errors.ChaingraphError: cannot write ...: it is a folder; give a file name
    """
    path = Path(path)
    if path.is_dir():
        raise ChaingraphError(f"cannot write {path}: it is a folder; give a file name")
    tmp = None
    try:
        if path.parent.exists() and not path.parent.is_dir():
            raise ChaingraphError(f"cannot write {path}: {path.parent} is a file, not a folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=TEMP_SUFFIX, dir=path.parent)
        os.close(fd)
        os.chmod(tmp, 0o666 & ~_umask())
        save(tmp)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise output_error(path, exc) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return path


def write_text_atomically(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`save_atomically`)."""
    data = text.encode(encoding)

    def save(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    return save_atomically(save, path)


LOCK_NAME = ".chaingraph.lock"
LOCK_WAIT_ENV = "CHAINGRAPH_LOCK_WAIT"


@contextlib.contextmanager
def folder_lock(folder: Path, *, what: str = "the user data folder"):
    """Hold an exclusive lock on ``folder`` (a ``.chaingraph.lock`` file in it) while writing.

    Writers that read, change and rewrite a file there (``merge``, ``import``) take it, so two
    of them never both read the old file and one's work silently replaces the other's.  Waits up
    to ``$CHAINGRAPH_LOCK_WAIT`` seconds (default 120), then says the folder is busy.
    """
    import fcntl  # POSIX only: the module stays importable where there is none

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fh = open(folder / LOCK_NAME, "a+b")
    except OSError as exc:
        raise output_error(folder, exc) from None
    try:
        try:
            wait = float(os.environ.get(LOCK_WAIT_ENV) or 120)
        except ValueError:
            raise ChaingraphError(f"{LOCK_WAIT_ENV} must be a number of seconds") from None
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise ChaingraphError(f"{what} ({folder}) is busy: another chaingraph command is writing "
                                          f"there; try again when it has finished") from None
                time.sleep(0.05)
        yield
    finally:
        fh.close()  # closing releases the lock
