"""Segments: AND/OR/NOT trees of tags and field conditions, their JSON form and their text form.

    tree = parse("(東京都 OR 大阪府) AND NOT 休眠")
    to_text(tree)  -> '(東京都 OR 大阪府) AND NOT 休眠'
    to_json(tree)  -> {"all": [{"any": [...]}, {"not": {"tag": "休眠"}}]}
"""

from shopline.core.segments.errors import SegmentError, SegmentSyntaxError, UnknownNameError
from shopline.core.segments.parser import parse
from shopline.core.segments.printer import to_text
from shopline.core.segments.tree import And, Compare, HasTag, Node, Not, Or, from_json, names_in, to_json

__all__ = [
    "And", "Compare", "HasTag", "Node", "Not", "Or",
    "SegmentError", "SegmentSyntaxError", "UnknownNameError",
    "from_json", "names_in", "parse", "to_json", "to_text",
]
