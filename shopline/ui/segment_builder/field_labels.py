"""What the builder calls a built-in field on screen: the palette's item and the condition row's label.

The core's labels are written for the middle of a sentence ("Write the age as ...", "the days as a
friend"); standing alone as a name they read as a title: "Age", "Friend days". The text form keeps
the fields' own identifiers (age, friend_days) whatever the language.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from shopline.core.segments.fields import builtin

_CONTEXT = "SegmentFields"
_NAMES = {
    "gender": QT_TRANSLATE_NOOP("SegmentFields", "Gender"),
    "age": QT_TRANSLATE_NOOP("SegmentFields", "Age"),
    "birth_month": QT_TRANSLATE_NOOP("SegmentFields", "Birth month"),
    "region": QT_TRANSLATE_NOOP("SegmentFields", "Region"),
    "friend_days": QT_TRANSLATE_NOOP("SegmentFields", "Friend days"),
    "last_reaction_days": QT_TRANSLATE_NOOP("SegmentFields", "Days since last reaction"),
    "source": QT_TRANSLATE_NOOP("SegmentFields", "Source"),
    "purchases": QT_TRANSLATE_NOOP("SegmentFields", "Purchases"),
    "spent": QT_TRANSLATE_NOOP("SegmentFields", "Amount spent"),
    "days_since_purchase": QT_TRANSLATE_NOOP("SegmentFields", "Days since last purchase"),
    "days_since": QT_TRANSLATE_NOOP("SegmentFields", "Days since a date"),
    "rfm_group": QT_TRANSLATE_NOOP("SegmentFields", "RFM group"),
    "rfm_r": QT_TRANSLATE_NOOP("SegmentFields", "RFM recency score"),
    "rfm_f": QT_TRANSLATE_NOOP("SegmentFields", "RFM frequency score"),
    "rfm_m": QT_TRANSLATE_NOOP("SegmentFields", "RFM monetary score"),
    "received": QT_TRANSLATE_NOOP("SegmentFields", "Campaigns received"),
    "clicked": QT_TRANSLATE_NOOP("SegmentFields", "Link clicks"),
}


def field_label(name: str) -> str:
    """The built-in's name in the window's language, or a custom field's own name."""
    if name in _NAMES:
        return QCoreApplication.translate(_CONTEXT, str(_NAMES[name]))
    field = builtin(name)
    return str(field.label) if field is not None else name
