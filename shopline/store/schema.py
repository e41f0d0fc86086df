"""Schema version and migrations. A migration always copies the database into backups/ first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from shopline import paths
from shopline.core.messages import ShopLineError, Text
from shopline.store.campaign_models import CAMPAIGN_MODELS
from shopline.store.connection import db
from shopline.store.models import ALL_MODELS, SchemaVersion
from shopline.store.sqlite import copy_database
from shopline.store.template_models import Template

SCHEMA_VERSION = 3
KEEP_BACKUPS = 10

# MIGRATIONS[n] brings a database from version n-1 to n (playhouse.migrate steps inside).
def _v2_campaigns() -> None:
    db.create_tables(CAMPAIGN_MODELS)


def _v3_templates() -> None:
    db.create_tables([Template])


MIGRATIONS: dict[int, Callable[[], None]] = {2: _v2_campaigns, 3: _v3_templates}


def current_version() -> int:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def ensure_schema(folder: Path) -> int:
    """Create a fresh database or migrate an older one; returns the version it is at now."""
    version = current_version()
    if version == 0 and not db.get_tables():
        with db.atomic():
            db.create_tables(ALL_MODELS + CAMPAIGN_MODELS + [Template])
            SchemaVersion.create(version=SCHEMA_VERSION)
        return SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise ShopLineError(Text(
            f"このデータは新しい版のShopLine(データ形式 {version})で作られています。ShopLineを更新してください。",
            f"This data was written by a newer ShopLine (data format {version}). Please update ShopLine."))
    if version < SCHEMA_VERSION:
        backup(folder, reason=f"before-v{SCHEMA_VERSION}")
        for step in range(version + 1, SCHEMA_VERSION + 1):
            with db.atomic():
                MIGRATIONS[step]()
                SchemaVersion.create(version=step)
    else:
        daily_backup(folder)
    return SCHEMA_VERSION


def backup(folder: Path, reason: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = paths.backups_dir(folder) / f"shopline-{stamp}-{reason}.sqlite3"
    copy_database(db.obj, target)
    _prune(paths.backups_dir(folder))
    return target


def daily_backup(folder: Path) -> Path | None:
    today = dt.date.today().strftime("%Y%m%d")
    if any(p.name.startswith(f"shopline-{today}") for p in paths.backups_dir(folder).glob("*.sqlite3")):
        return None
    return backup(folder, reason="daily")


def _prune(folder: Path) -> None:
    daily = sorted(folder.glob("shopline-*-daily.sqlite3"))
    for old in daily[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
