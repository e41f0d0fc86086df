"""Templates: the store's round trip, and the v3 migration that adds their table to a v2 database."""

from __future__ import annotations

import pytest

from shopline.core.drafts import CouponBubble, Draft, StickerBubble, TextBubble
from shopline.store import close_store, db, open_store, schema
from shopline.store.templates import (
    TemplateError,
    delete_template,
    get_template,
    list_templates,
    rename_template,
    save_template,
)

DRAFT = Draft((TextBubble("セール開催中"), StickerBubble("446", "1988"), CouponBubble("c-1")))


def test_save_replace_rename_delete(store):
    saved, new = save_template(" ＳＡＬＥ ", DRAFT)
    assert (saved.name, saved.draft, new) == ("SALE", DRAFT, True)
    _, new = save_template("SALE", Draft((TextBubble("half-typed ... "),)))
    assert new is False
    assert [t.name for t in list_templates()] == ["SALE"]
    assert rename_template("sale".upper(), "夏のセール").draft == Draft((TextBubble("half-typed ... "),))
    save_template("冬", DRAFT)
    with pytest.raises(TemplateError, match="もうあります"):
        rename_template("冬", "夏のセール")
    delete_template("冬")
    with pytest.raises(TemplateError, match="ありません"):
        get_template("冬")
    with pytest.raises(TemplateError, match="1〜80文字"):
        save_template("   ", DRAFT)


def test_v2_database_migrates_to_templates(data_dir):
    from shopline.store.campaign_models import CAMPAIGN_MODELS
    from shopline.store.models import ALL_MODELS, Friend, SchemaVersion
    from shopline.store.sqlite import make_database

    # A database as version 2 of the app left it: campaigns, no templates.
    v2 = make_database(data_dir / "shopline.sqlite3")
    db.initialize(v2)
    db.create_tables(ALL_MODELS + CAMPAIGN_MODELS)
    SchemaVersion.create(version=2)
    Friend.create(user_id="U" + "c" * 32)
    v2.close()

    open_store(data_dir)
    try:
        assert schema.current_version() == schema.SCHEMA_VERSION
        assert "template" in db.get_tables()
        assert Friend.select().count() == 1
        assert len(list((data_dir / "backups").glob(f"*before-v{schema.SCHEMA_VERSION}.sqlite3"))) == 1
        save_template("after migration", DRAFT)
        assert get_template("after migration").draft == DRAFT
    finally:
        close_store()


def test_fresh_database_has_templates(store):
    assert "template" in db.get_tables()
