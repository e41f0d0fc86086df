"""What a personal campaign froze for each friend: the values its placeholders and tracked links take.

A personal campaign (core.placeholders) has one Batch per friend, each with its own retry key; the
text is rendered from the campaign's template and these values at send time. Frozen with the batch,
so every attempt with that key sends the identical request, and a friend's later rename or a new field
value never changes what a resumed send says.
"""

from __future__ import annotations

from peewee import ForeignKeyField, TextField

from shopline.store.campaign_models import Batch
from shopline.store.models import BaseModel


class PersonalValues(BaseModel):
    batch = ForeignKeyField(Batch, on_delete="CASCADE", column_name="batch_id", primary_key=True)
    frozen = TextField()  # JSON: placeholder key -> value, and "link:URL" -> the friend's short link


PERSONAL_MODELS: list[type[BaseModel]] = [PersonalValues]
