"""Message templates: drafts the shop saves by name and reuses, in the drafts' own JSON form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import IntegrityError

from shopline.core.drafts import Draft, from_json, to_json
from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text
from shopline.store.models import now
from shopline.store.template_models import MAX_NAME, Template


class TemplateError(ShopLineError):
    """A template name that cannot be used, or a template that is not there."""


@dataclass(frozen=True)
class SavedTemplate:
    name: str
    draft: Draft
    updated_at: dt.datetime


def _name(raw: str) -> str:
    name = fold(raw)
    if not name or len(name) > MAX_NAME:
        raise TemplateError(Text(f"テンプレート名は1〜{MAX_NAME}文字にしてください。",
                                 f"A template name needs 1 to {MAX_NAME} characters."))
    return name


def _missing(name: str) -> TemplateError:
    return TemplateError(Text(f"テンプレート「{name}」はありません。", f"There is no template \"{name}\"."))


def _saved(row: Template) -> SavedTemplate:
    return SavedTemplate(row.name, from_json(row.body), row.updated_at)


def list_templates() -> list[SavedTemplate]:
    return [_saved(row) for row in Template.select().order_by(Template.name)]


def get_template(name: str) -> SavedTemplate:
    row = Template.get_or_none(Template.name == fold(name))
    if row is None:
        raise _missing(fold(name))
    return _saved(row)


def save_template(name: str, draft: Draft) -> tuple[SavedTemplate, bool]:
    """Save under name, replacing a template of that name; returns it and whether it is new.

    An unfinished draft may be saved too: validity is checked when it is sent, not when it is kept.
    """
    name = _name(name)
    body = to_json(draft)
    updated = Template.update(body=body, updated_at=now()).where(Template.name == name).execute()
    if not updated:
        Template.create(name=name, body=body)
    return get_template(name), not updated


def rename_template(old: str, new: str) -> SavedTemplate:
    current = get_template(old)
    name = _name(new)
    if name != current.name:
        try:
            Template.update(name=name, updated_at=now()).where(Template.name == current.name).execute()
        except IntegrityError as exc:  # the unique index, not a prior check: two windows may race
            raise TemplateError(Text(f"テンプレート「{name}」はもうあります。別の名前にしてください。",
                                     f"A template \"{name}\" already exists: choose another name.")) from exc
    return get_template(name)


def delete_template(name: str) -> None:
    if not Template.delete().where(Template.name == fold(name)).execute():
        raise _missing(fold(name))
