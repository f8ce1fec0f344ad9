"""Find what is new, changed, unchanged or removed in the inbox, by content hash.

Discovery reads the published warehouse (read-only) for what was loaded before, so an unchanged
file costs one hash and nothing more. Symbolic links are never followed.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline.settings import Settings
from pipeline.warehouse import connect, table_exists

log = logging.getLogger(__name__)

# What needs extracting; the rest is recorded without being read again.
EXTRACT_ACTIONS = ("new", "changed", "reprocess")


@dataclass
class FileCandidate:
    source_path: str  # relative to the inbox, POSIX separators
    size_bytes: int
    content_sha256: str | None
    action: str  # new | changed | reprocess | unchanged | duplicate | rejected
    reason: str


@dataclass
class Plan:
    run_id: str
    trigger: str = "cli"
    started_at: str = ""
    files: list[FileCandidate] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    batches: list[list[str]] = field(default_factory=list)

    def is_noop(self) -> bool:
        """Nothing to extract and nothing removed: the published warehouse is already current."""
        return not self.to_extract() and not self.removed

    def to_extract(self) -> list[FileCandidate]:
        return [f for f in self.files if f.action in EXTRACT_ACTIONS]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Plan:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            run_id=data["run_id"],
            trigger=data["trigger"],
            started_at=data["started_at"],
            files=[FileCandidate(**f) for f in data["files"]],
            removed=data["removed"],
            batches=data["batches"],
        )


def plan_path(settings: Settings, run_id: str) -> Path:
    return settings.run_dir(run_id) / "plan.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _walk_inbox(inbox: Path) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for root, dirs, files in os.walk(inbox, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            found.append((path.relative_to(inbox).as_posix(), path))
    return found


def _previous_state(warehouse: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(source_path -> sha of its current documents, source_path -> sha last quarantined)."""
    if not warehouse.exists():
        return {}, {}
    with connect(warehouse, read_only=True) as con:
        current: dict[str, str] = {}
        if table_exists(con, "raw", "documents"):
            current = dict(con.execute(
                "select source_path, any_value(content_sha256) from raw.documents "
                "where is_current group by source_path"
            ).fetchall())
        quarantined: dict[str, str] = {}
        if table_exists(con, "audit", "file_ingestions"):
            quarantined = dict(con.execute(
                "select source_path, arg_max(content_sha256, finished_at) from audit.file_ingestions "
                "where status = 'quarantined' group by source_path"
            ).fetchall())
    return current, quarantined


def discover(settings: Settings, run_id: str, reprocess: str | None = None, trigger: str = "cli") -> Plan:
    """Compare the inbox with the published warehouse; `reprocess` is 'all' or one source path."""
    inbox = settings.inbox
    if not inbox.is_dir():
        raise FileNotFoundError(f"the inbox {inbox} does not exist or is not a folder")
    current, quarantined = _previous_state(settings.warehouse)
    sha_owner = {sha: path for path, sha in current.items()}
    started_at = datetime.now(timezone.utc).replace(tzinfo=None).isoformat()
    plan = Plan(run_id=run_id, trigger=trigger, started_at=started_at)
    seen_paths: set[str] = set()

    for rel, path in _walk_inbox(inbox):
        seen_paths.add(rel)
        if path.is_symlink():
            target = os.path.realpath(path)
            where = "inside" if Path(target).is_relative_to(inbox) else "outside"
            plan.files.append(FileCandidate(
                rel, 0, None, "rejected",
                f"is a symbolic link pointing {where} the inbox (to {target}); links are never "
                "followed: copy the file itself into the inbox",
            ))
            continue
        size = path.stat().st_size
        sha = sha256_file(path)
        wanted = reprocess == "all" or reprocess == rel
        if rel in current and current[rel] == sha and not wanted:
            plan.files.append(FileCandidate(rel, size, sha, "unchanged", "same content as already loaded"))
        elif quarantined.get(rel) == sha and rel not in current and not wanted:
            plan.files.append(FileCandidate(
                rel, size, sha, "unchanged",
                "same content as when it was quarantined; fix or replace the file to retry",
            ))
        elif sha in sha_owner and sha_owner[sha] != rel:
            plan.files.append(FileCandidate(
                rel, size, sha, "duplicate", f"same bytes as {sha_owner[sha]}, which is already loaded",
            ))
        else:
            action = "reprocess" if wanted and current.get(rel) == sha else ("changed" if rel in current else "new")
            plan.files.append(FileCandidate(rel, size, sha, action, ""))
            sha_owner.setdefault(sha, rel)

    if reprocess not in (None, "all") and reprocess not in seen_paths:
        raise FileNotFoundError(f"cannot reprocess {reprocess!r}: no such file in the inbox {inbox}")
    plan.removed = sorted(set(current) - seen_paths)
    todo = [f.source_path for f in plan.to_extract()]
    size = max(1, settings.batch_size)
    plan.batches = [todo[i:i + size] for i in range(0, len(todo), size)]
    for f in plan.files:
        log.info("%s: %s%s", f.source_path, f.action, f" ({f.reason})" if f.reason else "")
    for rel in plan.removed:
        log.info("%s: removed from the inbox; its rows are kept with is_current = false", rel)
    plan.save(plan_path(settings, run_id))
    return plan
