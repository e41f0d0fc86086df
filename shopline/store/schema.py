"""Schema version and migrations. A migration always copies the database into backups/ first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shopline.core.messages import ShopLineError, Text
from shopline.store import abtest_models, backups, errors, link_models, purchase_models, search, write_log
from shopline.store.automation_models import AUTOMATION_MODELS
from shopline.store.base import db
from shopline.store.campaign_models import CAMPAIGN_MODELS
from shopline.store.inbox_models import INBOX_MODELS
from shopline.store.insight_models import INSIGHT_MODELS
from shopline.store.models import ALL_MODELS, FriendTag, SchemaVersion
from shopline.store.template_models import Template

SCHEMA_VERSION = 12
KEEP_BACKUPS = backups.KEEP_DAILY

# MIGRATIONS[n] brings a database from version n-1 to n (playhouse.migrate steps inside).
def _v2_campaigns() -> None:
    db.create_tables(CAMPAIGN_MODELS)


def _v3_templates() -> None:
    db.create_tables([Template])


def _v4_search() -> None:
    search.install(db)


def _v5_inbox() -> None:
    db.create_tables(INBOX_MODELS)


def _v6_automations() -> None:
    db.create_tables(AUTOMATION_MODELS)
    _friend_tag_added_at()


def _friend_tag_added_at() -> None:
    """FriendTag gains added_at with a database default; SQLite cannot add a column defaulting to the time,
    so the table is rebuilt. Old links keep NULL: when they were added is not known."""
    if any(c.name == "added_at" for c in db.get_columns("friend_tag")):
        return
    for index in db.get_indexes("friend_tag"):
        db.execute_sql(f'DROP INDEX IF EXISTS "{index.name}"')
    db.execute_sql('ALTER TABLE "friend_tag" RENAME TO "friend_tag_before_v6"')
    db.create_tables([FriendTag])
    db.execute_sql('INSERT INTO "friend_tag" (friend_id, tag_id, added_at) '
                   'SELECT friend_id, tag_id, NULL FROM "friend_tag_before_v6"')
    db.execute_sql('DROP TABLE "friend_tag_before_v6"')


def _v7_insights() -> None:
    db.create_tables(INSIGHT_MODELS)


def _v8_purchases() -> None:
    purchase_models.install()


def _v9_personal() -> None:
    link_models.install()


def _v10_abtests() -> None:
    abtest_models.install()


def _v11_rfm_triggers() -> None:
    # The attach triggers now score the friend they attach purchases to; install() makes them again.
    purchase_models.install()


def _v12_write_log() -> None:
    db.execute_sql(write_log.CREATE)


MIGRATIONS: dict[int, Callable[[], None]] = {2: _v2_campaigns, 3: _v3_templates, 4: _v4_search, 5: _v5_inbox,
                                              6: _v6_automations, 7: _v7_insights, 8: _v8_purchases,
                                              9: _v9_personal, 10: _v10_abtests,
                                              11: _v11_rfm_triggers, 12: _v12_write_log}


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
            db.create_tables(ALL_MODELS + CAMPAIGN_MODELS + [Template] + INBOX_MODELS + AUTOMATION_MODELS
                             + INSIGHT_MODELS)
            search.install(db)
            purchase_models.install()
            link_models.install()
            abtest_models.install()
            db.execute_sql(write_log.CREATE)
            SchemaVersion.create(version=SCHEMA_VERSION)
        return SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise ShopLineError(Text(
            f"このデータは新しい版のShopLine(データ形式 {version})で作られています。ShopLineを更新してください。",
            f"This data was written by a newer ShopLine (data format {version}). Please update ShopLine."))
    if version < SCHEMA_VERSION:
        _backup_before_migration(folder)
        for step in range(version + 1, SCHEMA_VERSION + 1):
            with db.atomic():
                MIGRATIONS[step]()
                SchemaVersion.create(version=step)
    else:
        daily_backup(folder)
    return SCHEMA_VERSION


def _backup_before_migration(folder: Path) -> None:
    """No migration without a verified copy to go back to: a failed backup stops here, nothing changed."""
    try:
        backups.backup(db.obj, folder, reason=f"before-v{SCHEMA_VERSION}")
    except backups.BackupFailed as exc:
        full = errors.kind_of(exc) == errors.FULL
        raise ShopLineError(Text(
            ("ディスクがいっぱいのため、" if full else "")
            + f"データ形式を更新する前のバックアップを作れませんでした（{exc.reason}）。データはそのままです。"
            + ("空きを作ってから、" if full else "") + "もう一度起動してください。",
            ("The disk is full, so " if full else "")
            + f"the backup before updating the data format could not be made ({exc.reason}). "
            + "The data is unchanged. " + ("Free some space, then " if full else "") + "start ShopLine again.",
        )) from None


def backup(folder: Path, reason: str) -> Path:
    return backups.backup(db.obj, folder, reason)


def daily_backup(folder: Path) -> Path | None:
    """Once a day; a failure is a warning (connection.notices), never a reason the shop cannot work."""
    return backups.daily_backup(db.obj, folder)
