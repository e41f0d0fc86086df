"""The Template table alone, so opening the store (schema.py) does not load the drafts code behind templates.py."""

from __future__ import annotations

from peewee import CharField, DateTimeField, TextField

from shopline.store.models import BaseModel, now

MAX_NAME = 80


class Template(BaseModel):
    name = CharField(max_length=MAX_NAME, unique=True)  # folded, so ＳＡＬＥ and SALE are one template
    body = TextField()  # core.drafts.to_json: the bubbles exactly as LINE is sent them
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
