"""Files written whole or not at all: documents, exports, photo copies, settings."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, flushed to disk and
    then renamed over the target: a reader never sees half a file, and a full disk or a
    crash leaves the previous file (or none) rather than a truncated one. File-system
    errors propagate as :class:`OSError`; callers turn them into one sentence for the
    user with :func:`perr_desktop.errors.user_errors`."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.urandom(4).hex()}.partial")
    # 0o666 leaves the permissions to the user's umask, like any file they create.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
