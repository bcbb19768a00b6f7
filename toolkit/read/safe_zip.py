"""Unpacking a zip someone handed over, with bounds: no entry may leave the folder or be a link,
and nothing may expand past the size and ratio caps (a 2 MB zip that would fill the disk with
2 GiB is refused before it is written). Python's zipfile documentation warns of both."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import UsageError

MAX_UNPACKED = 8 << 30  # 8 GiB: a release of a million claims is under 1 GiB unpacked
MAX_RATIO = 200  # CSV deflates about 5-10 to 1; a bomb, a thousand to one


def _check_entry(path: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
        raise UsageError(f"{path}: the entry {name!r} would be written outside the folder; refusing the zip")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UsageError(f"{path}: the entry {name!r} is a symbolic link; refusing the zip")


def extract_zip(path: Path, dest: Path, max_unpacked: int = MAX_UNPACKED, max_ratio: int = MAX_RATIO) -> None:
    """Unpack a zip into dest, counting the bytes really written against the caps as it goes."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            for info in infos:
                _check_entry(path, info)
            declared = sum(i.file_size for i in infos)
            limit = min(max_unpacked, max(1 << 20, path.stat().st_size * max_ratio))
            if declared > limit:
                raise UsageError(
                    f"{path}: it would unpack to {declared:,} bytes, more than the {limit:,} allowed "
                    f"({max_ratio} times its size, at most {max_unpacked:,}); refusing the zip"
                )
            written = 0
            for info in infos:
                target = dest / info.filename
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > limit:  # the sizes in the zip's headers can lie
                            raise UsageError(
                                f"{path}: the entry {info.filename!r} unpacks past the {limit:,} bytes allowed; "
                                "refusing the zip"
                            )
                        out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise UsageError(f"{path} is not a readable zip file ({exc})") from exc
