"""A segment tree as ONE SQL query over following friends.

Design, chosen by bench/bench_segments.py against INTERSECT/UNION/EXCEPT compound
selects and IN-subqueries: drive from the smallest tag set the tree requires and
test every other condition per candidate with primary-key probes.

- The driver is a set of tags whose members include every match: a tag; for an
  AND, its child with the fewest friends; for an OR of drivable children, all of
  their tags. NOT and field conditions cannot drive: a tree made of them scans
  the following friends instead.
- Each condition becomes a two-valued predicate on the friend row `f`: a tag is an
  EXISTS on friend_tag's (friend, tag) key, a custom field an EXISTS on field_value's
  (friend, field) key, a built-in field a test on f's own columns. A friend with no
  value never matches a comparison, != included, yet does match its NOT.
- The driving condition's own probe is dropped: every driven row satisfies it.

A shop may paste hundreds of tags, so the SQL stays inside SQLite's limits at any
size: a merge chain longer than a compound select may be (500 terms) is probed
instead; many tags under one OR (or NOT tags under one AND, or tags under one AND)
become one probe with an IN-list; and long AND/OR lists are written as a balanced
tree, since SQLite nests a flat chain of n ANDs n deep and refuses 1,000.

Compound selects lose because every operand is materialised and sorted into a
temporary b-tree, however small the final answer; probes cost the size of the
smallest set instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import SQL, EnclosedNodeList
from pyroaring import BitMap

from shopline.core.segments import And, Compare, HasTag, Node, Not, Or, names_in
from shopline.core.segments.fields import age_cutoff, builtin, custom_operand, month_number
from shopline.store import dialect
from shopline.store.base import db
from shopline.store.purchase_sql import PURCHASE_NAMES, purchase_predicate
from shopline.store.reaction_sql import REACTION_NAMES, reaction_predicate
from shopline.store.segments import Names, resolve
from shopline.store.shop_clock import shop_today

_MIRROR = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
# SQLite's defaults (SQLITE_MAX_COMPOUND_SELECT, SQLITE_MAX_EXPR_DEPTH is 1000): a chain
# needs one more term for the following friends.
_COMPOUND_TERMS = 500
_FLAT = 64  # AND/OR lists up to this long are written flat; longer ones are split in halves
# From this many sibling tags, one probe with an IN-list replaces a probe per tag.
_IN_LIST_MIN = 4


@dataclass(frozen=True)
class _Drive:
    tag_ids: tuple[int, ...]
    size: int
    covered: Node | None  # a node every driven friend satisfies, whose probe can go


def _drive(node: Node, names: Names) -> _Drive | None:
    if isinstance(node, HasTag):
        tag_id, size = names.tags[node.name]
        return _Drive((tag_id,), size, node)
    if isinstance(node, And):
        drives = [d for d in (_drive(item, names) for item in node.items) if d is not None]
        return min(drives, key=lambda d: d.size) if drives else None
    if isinstance(node, Or):
        parts = [_drive(item, names) for item in node.items]
        if any(p is None for p in parts):
            return None
        exact = all(p is not None and p.covered is item for p, item in zip(parts, node.items, strict=True))
        ids = tuple(dict.fromkeys(i for p in parts if p is not None for i in p.tag_ids))
        return _Drive(ids, sum(p.size for p in parts if p is not None), node if exact else None)
    return None


class _Compiler:
    def __init__(self, names: Names, today: dt.date, covered: Node | None) -> None:
        self.names, self.today, self.covered = names, today, covered
        self.params: list[object] = []

    def bind(self, *values: object) -> str:
        self.params.extend(values)
        return dialect.placeholders(len(values))

    def pred(self, node: Node) -> str:
        if node is self.covered:
            return "1"
        if isinstance(node, And | Or):
            return self.group(node)
        if isinstance(node, Not):
            return f"NOT {self.pred(node.item)}"
        if isinstance(node, HasTag):
            return (f"EXISTS (SELECT 1 FROM friend_tag t WHERE t.friend_id = f.id "
                    f"AND t.tag_id = {self.bind(self.names.tags[node.name][0])})")
        if builtin(node.name) is None:
            return self.custom(node)
        return self.builtin(node)

    def group(self, node: And | Or) -> str:
        items = [item for item in node.items if item is not self.covered]
        if len(items) < len(node.items) and isinstance(node, Or):
            return "1"  # a driven row satisfies the covered alternative, so the whole OR
        parts: list[str] = []
        if isinstance(node, Or):
            tags = [item for item in items if isinstance(item, HasTag)]
            if len(tags) >= _IN_LIST_MIN:
                items = [item for item in items if not isinstance(item, HasTag)]
                parts.append(f"EXISTS {self.tag_probe(tags)}")
        else:
            tags = [item for item in items if isinstance(item, HasTag)]
            if len(tags) >= _IN_LIST_MIN:
                items = [item for item in items if not isinstance(item, HasTag)]
                # A friend holds a tag once (the key), so holding them all is finding as many as are listed.
                ids = self.tag_ids(tags)
                parts.append(f"(SELECT count(*) FROM friend_tag t WHERE t.friend_id = f.id "
                             f"AND +t.tag_id IN ({self.bind(*ids)})) = {len(ids)}")
            absent = [item.item for item in items if isinstance(item, Not) and isinstance(item.item, HasTag)]
            if len(absent) >= _IN_LIST_MIN:
                items = [item for item in items if not (isinstance(item, Not) and isinstance(item.item, HasTag))]
                parts.append(f"NOT EXISTS {self.tag_probe(absent)}")
        parts += [self.pred(item) for item in items]
        if not parts:
            return "1"
        return _balanced(parts, " AND " if isinstance(node, And) else " OR ")

    def tag_ids(self, tags: list[HasTag]) -> list[int]:
        return list(dict.fromkeys(self.names.tags[tag.name][0] for tag in tags))

    def tag_probe(self, tags: list[HasTag]) -> str:
        # The unary + reads the friend's few tags and tests each against the list, rather than
        # seeking the (friend, tag) key once per listed tag.
        ids = self.bind(*self.tag_ids(tags))
        return f"(SELECT 1 FROM friend_tag t WHERE t.friend_id = f.id AND +t.tag_id IN ({ids}))"

    def custom(self, node: Compare) -> str:
        field_id, kind = self.names.fields[node.name]
        operand = custom_operand(kind, node.name, node.op, str(node.value))
        # The unary + keeps SQLite on the (friend, field) key: the (field, value) index would scan a range.
        column = "v.num_value IS NOT NULL AND +v.num_value" if kind == "number" else \
            "v.text_value != '' AND +v.text_value"
        return (f"EXISTS (SELECT 1 FROM field_value v WHERE v.friend_id = f.id "
                f"AND v.field_id = {self.bind(field_id)} AND {column} {node.op} {self.bind(operand)})")

    def builtin(self, node: Compare) -> str:
        op, value = node.op, node.value
        if node.name in ("gender", "region"):
            return f"(f.{node.name} IS NOT NULL AND f.{node.name} {op} {self.bind(value)})"
        if node.name == "birth_month":
            month = month_number(value, self.today)
            # Dates are stored as YYYY-MM-DD text; the one SQLite-shaped expression in this file.
            return f"(f.birthday IS NOT NULL AND CAST(substr(f.birthday, 6, 2) AS INTEGER) {op} {self.bind(month)})"
        if node.name == "source":
            return f"(f.source {op} {self.bind(value)})"
        if node.name == "last_reaction_days":
            since = self.today - dt.timedelta(days=int(value))
            # The latest message, postback or link click's day (Reaction.at is local 'YYYY-MM-DD HH:MM:SS' text);
            # coalesce: a friend with no reaction is false here and true under NOT, as every comparison is.
            return (f"coalesce((SELECT substr(max(r.at), 1, 10) FROM reaction r WHERE r.friend_id = f.id "
                    f"AND r.kind IN ('message', 'postback', 'click')) {_MIRROR[op]} {self.bind(since.isoformat())}, 0)")
        if node.name == "friend_days":
            since = self.today - dt.timedelta(days=int(value))
            return f"(f.followed_at IS NOT NULL AND f.followed_at {_MIRROR[op]} {self.bind(since.isoformat())})"
        if node.name in PURCHASE_NAMES:
            return purchase_predicate(node, self.bind, self.today, self.names.fields)
        if node.name in REACTION_NAMES:
            return reaction_predicate(node, self.bind)
        return self.age(op, int(value))

    def age(self, op: str, years: int) -> str:
        """age >= n exactly when the birthday is on or before today n years ago, and so on."""
        if op in (">", "<="):
            op, years = ("<", years + 1) if op == "<=" else (">=", years + 1)
        if op in (">=", "<"):
            cut = self.bind(age_cutoff(self.today, years).isoformat())
            return f"(f.birthday IS NOT NULL AND f.birthday {'<=' if op == '>=' else '>'} {cut})"
        low, high = age_cutoff(self.today, years + 1).isoformat(), age_cutoff(self.today, years).isoformat()
        inside = f"(f.birthday > {self.bind(low)} AND f.birthday <= {self.bind(high)})"
        return f"(f.birthday IS NOT NULL AND {'NOT ' if op == '!=' else ''}{inside})"


def _balanced(parts: list[str], joiner: str) -> str:
    """parts joined, parenthesised: flat when short, else as halves, so the depth grows as log n."""
    if len(parts) <= _FLAT:
        return "(" + joiner.join(parts) + ")"
    middle = len(parts) // 2
    return "(" + _balanced(parts[:middle], joiner) + joiner + _balanced(parts[middle:], joiner) + ")"


def _chain(node: Node, names: Names) -> list[tuple[str, int]] | None:
    """The tree as a left-to-right INTERSECT/UNION/EXCEPT chain of tag sets, if it has that shape.

    A chain needs no nesting, so SQLite merges the sorted index ranges of each
    tag instead of building temporary b-trees: ((A AND B) OR C) AND NOT D is
    `A INTERSECT B UNION C EXCEPT D`. Tag id 0 stands for the following friends.
    """
    if isinstance(node, HasTag):
        return [("", names.tags[node.name][0])]
    if isinstance(node, Not):
        return [("", 0), ("EXCEPT", names.tags[node.item.name][0])] if isinstance(node.item, HasTag) else None
    if not isinstance(node, And | Or):
        return None
    word = "INTERSECT" if isinstance(node, And) else "UNION"

    def link(item: Node) -> tuple[str, int] | None:
        if isinstance(item, HasTag):
            return word, names.tags[item.name][0]
        if word == "INTERSECT" and isinstance(item, Not) and isinstance(item.item, HasTag):
            return "EXCEPT", names.tags[item.item.name][0]
        return None

    links = [link(item) for item in node.items]
    heads = [item for item, found in zip(node.items, links, strict=True) if found is None]
    if len(heads) > 1:
        return None
    tail = [found for found in links if found is not None]
    if heads:
        chain = _chain(heads[0], names)
        return None if chain is None else chain + tail
    first = next((found for found in tail if found[0] != "EXCEPT"), None)
    if first is None:
        return [("", 0), *tail]
    tail.remove(first)
    return [("", first[1]), *tail]


def _merge_sql(chain: list[tuple[str, int]], select: str) -> tuple[str, list[object]]:
    following = "SELECT id FROM friend WHERE status = 'following'"
    probe = f"SELECT friend_id AS id FROM friend_tag WHERE tag_id = {dialect.placeholders(1)}"
    parts = [following if tag == 0 else probe for _, tag in chain]
    body = parts[0] + "".join(f" {word} {part}" for (word, _), part in zip(chain[1:], parts[1:], strict=True))
    if chain[0][1] != 0 or any(word == "UNION" for word, _ in chain):
        body += f" INTERSECT {following}"
    # ORDER BY is what makes SQLite merge the already-sorted ranges rather than sort them.
    return f"SELECT {select} FROM ({body} ORDER BY 1) AS f", [tag for _, tag in chain if tag]


# Microseconds per row, fitted to bench/bench_segments.py at 100k friends. A merge scans the
# friend table once (only following friends count) and streams each tag's index range, which
# costs little beside it; a driven row costs a friend lookup plus one key probe per condition.
_MERGE_FRIEND, _MERGE_TAG, _PROBE_ROW = 0.115, 0.02, 0.28


def _merge_cost(chain: list[tuple[str, int]], names: Names) -> float:
    sizes = {tag_id: size for tag_id, size in names.tags.values()}
    return names.friends * _MERGE_FRIEND + sum(sizes[tag] for _, tag in chain if tag) * _MERGE_TAG


def _probe_cost(tree: Node, drive: _Drive | None, names: Names) -> float:
    covered = sum(1 for _ in names_in(drive.covered)) if drive and drive.covered else 0
    leaves = sum(1 for _ in names_in(tree)) - covered
    return (drive.size if drive else names.friends) * (1 + leaves) * _PROBE_ROW


def compile_tree(tree: Node, select: str, today: dt.date | None = None) -> tuple[str, list[object]]:
    """SQL selecting `select` (over the friend row f) for the following friends that match tree."""
    names = resolve(tree)
    drive = _drive(tree, names)
    chain = _chain(tree, names)
    mergeable = chain is not None and len(chain) < _COMPOUND_TERMS
    if chain is not None and mergeable and _merge_cost(chain, names) < _probe_cost(tree, drive, names):
        return _merge_sql(chain, select)
    compiler = _Compiler(names, today or shop_today(), drive.covered if drive else None)
    where = compiler.pred(tree)
    if drive is None:
        return f"SELECT {select} FROM friend f WHERE f.status = 'following' AND {where}", compiler.params
    tags = dialect.placeholders(len(drive.tag_ids))
    if len(drive.tag_ids) == 1:
        # The driver stays outermost: the planner cannot see how small the tag is.
        source = f"friend_tag d {dialect.ordered_join()} friend f ON f.id = d.friend_id WHERE d.tag_id = {tags}"
    else:
        source = f"friend f WHERE f.id IN (SELECT friend_id FROM friend_tag WHERE tag_id IN ({tags}))"
    return (f"SELECT {select} FROM {source} AND f.status = 'following' AND {where}",
            [*drive.tag_ids, *compiler.params])


def count(tree: Node, today: dt.date | None = None) -> int:
    """How many following friends the segment holds; `today` defaults to the machine's local date.
    Answered by the bitmap engine (store/bitmaps), which falls back to reference_count."""
    from shopline.store import bitmaps

    found = bitmaps.count(tree, today, compile_tree)
    return reference_count(tree, today) if found is None else found


def warm_index() -> int:
    """Load the count engine's index ahead of the first count (store/bitmaps/engine.warm)."""
    from shopline.store.bitmaps import engine

    return engine.warm()


def reference_count(tree: Node, today: dt.date | None = None) -> int:
    """count() by the compiled query alone: the reference the bitmap engine is tested against."""
    sql, params = compile_tree(tree, "count(*)", today)
    return int(db.execute_sql(sql, params).fetchone()[0])


def friend_ids_query(tree: Node, today: dt.date | None = None) -> EnclosedNodeList:
    """The segment's friend ids as a subquery: `Friend.id.in_(friend_ids_query(tree))`."""
    sql, params = compile_tree(tree, "f.id", today)
    return EnclosedNodeList([SQL(sql, params)])


def friend_ids(tree: Node, today: dt.date | None = None) -> list[int]:
    """The segment's friend ids, ascending (the bitmap engine; reference_friend_ids is the SQL)."""
    return list(members(tree, today))


def members(tree: Node, today: dt.date | None = None, *, trust_transaction: bool = False) -> BitMap:
    """The segment's friends as a bitmap, from the bitmap engine when it may answer. `trust_transaction`:
    the caller's open transaction has written nothing yet (freezing), so the committed state is what it sees."""
    from shopline.store import bitmaps

    found = bitmaps.members(tree, today, compile_tree, trust_transaction=trust_transaction)
    return BitMap(reference_friend_ids(tree, today)) if found is None else found


def reference_friend_ids(tree: Node, today: dt.date | None = None) -> list[int]:
    sql, params = compile_tree(tree, "f.id", today)
    return [fid for (fid,) in db.execute_sql(sql + " ORDER BY f.id", params)]
