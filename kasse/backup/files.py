"""Our backup files in a folder: names that carry kind, UTC time and encryption; reading them without following
links; and the rotation rule that says which automatic ones may go.

A name is `kasse-20261125T101500Z-auto.db` (or `-manual`, `-1` for a second
one in the same second, `.db.enc` when encrypted). Names from before kinds,
`kasse-YYYYMMDD-HHMMSS[-n].db[.enc]` in local time, are still read: plain
ones as automatic, encrypted ones as manual (only `kasse backup --encrypt`
made those). No other file in the folder is ever listed or touched.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from kasse.errors import KasseError

DEFAULT_KEEP_DAYS = 14
KEEP_ENV = "KASSE_BACKUP_KEEP"

_NAME = re.compile(r"^kasse-(\d{8}T\d{6})Z-(auto|manual)(?:-(\d+))?\.db(\.enc)?$")
_OLD_NAME = re.compile(r"^kasse-(\d{8})-(\d{6})(?:-(\d+))?\.db(\.enc)?$")
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)


class Kind(StrEnum):
    AUTOMATIC = "auto"  # before an import or a restore, the app's daily one
    MANUAL = "manual"  # kasse backup


@dataclass(frozen=True)
class NamedBackup:
    path: Path
    taken: datetime  # UTC
    kind: Kind
    encrypted: bool
    counter: int  # the n-th backup within the same second

    @property
    def order(self) -> tuple[datetime, int]:
        return self.taken, self.counter

    @property
    def rotated(self) -> bool:
        """Whether rotation may ever delete it: plain automatic copies only."""
        return self.kind is Kind.AUTOMATIC and not self.encrypted


def keep_days(days: int | None = None) -> int:
    """How many days automatic backups are kept: `days`, else $KASSE_BACKUP_KEEP, else 14."""
    if days is None:
        text = os.environ.get(KEEP_ENV, "").strip()
        if not text:
            return DEFAULT_KEEP_DAYS
        try:
            days = int(text)
        except ValueError:
            raise KasseError(f"{KEEP_ENV} skal være et helt antal dage, ikke '{text[:20]}'") from None
    if days < 1:
        raise KasseError(f"{KEEP_ENV}: automatiske sikkerhedskopier skal beholdes mindst 1 dag")
    return days


def refuse_link(folder: Path) -> None:
    """A backup folder that is a symbolic link is refused: kasse never writes, reads or deletes through one."""
    if folder.is_symlink():
        raise KasseError(
            f"{folder} er et symbolsk link - kasse gemmer og sletter ikke sikkerhedskopier gennem et link; "
            "erstat det med en almindelig mappe"
        )


def our_backups(folder: Path) -> list[NamedBackup]:
    """The backups named like ours in `folder`, oldest first; symbolic links and other files are left out."""
    refuse_link(folder)
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise KasseError(f"{folder} er ikke en mappe") from None
    found = [_parse(Path(entry.path)) for entry in entries if entry.is_file(follow_symlinks=False)]
    return sorted((item for item in found if item is not None), key=lambda item: item.order)


def new_name(folder: Path, moment: datetime, kind: Kind, *, encrypted: bool) -> Path:
    """A free name for a backup taken at `moment` (stored in UTC)."""
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".db.enc" if encrypted else ".db"
    name, counter = f"kasse-{stamp}-{kind}{suffix}", 0
    while os.path.lexists(folder / name):
        counter += 1
        name = f"kasse-{stamp}-{kind}-{counter}{suffix}"
    return folder / name


def to_rotate(backups: list[NamedBackup], *, now: datetime, days: int, spare: Path) -> list[NamedBackup]:
    """The automatic backups to delete: `days` days old or older *and* not among the backups of the `days` latest
    days that have any - so weeks without kasse, or a clock set wrong, never empty the folder. `spare` (the
    backup just made) always stays, as do manual and encrypted ones."""
    rotated = [item for item in backups if item.rotated]
    latest_days = sorted({item.taken.date() for item in rotated}, reverse=True)[:days]
    cutoff = now.astimezone(UTC) - timedelta(days=days)
    return [
        item for item in rotated if item.path != spare and item.taken <= cutoff and item.taken.date() not in latest_days
    ]


def _parse(path: Path) -> NamedBackup | None:
    return _plausible(_read_name(path))


def _read_name(path: Path) -> NamedBackup | None:
    try:
        if match := _NAME.match(path.name):
            taken = datetime.strptime(match[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            return NamedBackup(path, taken, Kind(match[2]), bool(match[4]), int(match[3] or 0))
        if match := _OLD_NAME.match(path.name):
            # Local time, as the clock said then.
            taken = datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S").astimezone().astimezone(UTC)
            encrypted = bool(match[4])
            kind = Kind.MANUAL if encrypted else Kind.AUTOMATIC
            return NamedBackup(path, taken, kind, encrypted, int(match[3] or 0))
    except (ValueError, OverflowError):  # a name like ours holding no real time: not ours
        pass
    return None


def _plausible(backup: NamedBackup | None) -> NamedBackup | None:
    """A time kasse can have written (2000-9000): a file named for year 9999 or 0001 would stay 'newest' or
    'oldest' for ever and cannot be shown in every time zone - not ours."""
    if backup is None or not (_EARLIEST <= backup.taken <= _LATEST):
        return None
    return backup
