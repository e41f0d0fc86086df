"""What the builder calls a built-in field on screen: the palette's item and the condition row's label."""

from __future__ import annotations

from shopline.core.segments.fields import builtin


def field_label(name: str) -> str:
    """The built-in's label in the current language, or a custom field's own name.

    The core's English labels are written for the middle of a sentence ("Write the age as ...");
    standing alone as a name they start with a capital: "Birth month". Japanese has no case.
    """
    field = builtin(name)
    if field is None:
        return name
    label = str(field.label)
    return label[:1].upper() + label[1:]
