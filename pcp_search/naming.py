"""How an indexed file is named: its key (the path as given, normalised; a name that is not valid UTF-8
kept with its odd bytes written `\\xNN`) and its record name (the path below the folder indexed,
`subdir/minutes.txt`, made longer only when another file already has it), the prefix of its record ids."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath


def path_key(path: Path) -> str:
    """The file as the index and the manifest name it: `os.path.normpath`, undecodable bytes escaped."""
    return os.fsencode(os.path.normpath(path)).decode("utf-8", "backslashreplace")


def key_path(key: str) -> Path:
    """The file a key names (the escaped bytes put back)."""
    raw = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), key.encode("utf-8"))
    return Path(os.fsdecode(raw))


def record_name(path: Path, root: Path, key: str, taken: dict[str, str]) -> str:
    """The readable, unique prefix of a file's record ids: its path below `root` (just the file name
    for a file directly in it, as ids always were), else with the folders above added one by one
    until no other indexed file (`taken`: name -> key) has it, else the key itself."""
    try:
        below = PurePosixPath(*path.relative_to(root).parts) if path != root else PurePosixPath(path.name)
    except ValueError:
        below = PurePosixPath(path.name)
    candidates = [below]
    for parent in [root, *root.resolve().parents] if root != path else []:
        if parent.name:
            candidates.append(PurePosixPath(parent.name) / candidates[-1])
    for candidate in candidates:
        name = path_key(Path(str(candidate)))
        if taken.get(name, key) == key:
            return name
    return key
