"""Settings are declared once (store/settings.py), typed on the way in and out, and nothing else writes them."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from shopline.store import settings
from shopline.store.models import Setting

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / "shopline" / "store" / "settings.py"
# Written by the inbox and automations work while settings.py was being made; they still use the table
# directly, so here only their keys are checked against the declarations. Move a file off this list by
# switching it to settings.<NAME>.get()/.set().
NOT_YET_CONVERTED = {"shopline/inbox/apply.py", "shopline/inbox/relay_config.py", "shopline/automations/shop_time.py",
                     "shopline/store/shop_clock.py",
                     "shopline/automations/entries.py", "shopline/results/conversions.py"}


def _stored() -> dict[str, str]:
    return dict(Setting.select(Setting.key, Setting.value).tuples())


def test_each_kind_round_trips_through_the_table(store):
    when = dt.datetime(2024, 2, 29, 9, 30, 5)
    settings.TEST_USER_IDS.set("U1 U2")
    settings.INBOX_CURSOR.set(41)
    settings.DEMO_SHOP.set(True)
    settings.USAGE.set({"type": "limited", "value": 200, "fetched_at": "2024-02-29T00:00:00+00:00"})
    settings.LAST_SYNC.set(when)
    assert settings.TEST_USER_IDS.get() == "U1 U2"
    assert settings.INBOX_CURSOR.get() == 41
    assert settings.DEMO_SHOP.get() is True
    assert settings.USAGE.get() == {"type": "limited", "value": 200, "fetched_at": "2024-02-29T00:00:00+00:00"}
    assert settings.LAST_SYNC.get() == when
    raw = _stored()
    assert raw["inbox.cursor"] == "41" and raw["demo_shop"] == "1" and raw["line.last_sync"] == "2024-02-29T09:30:05"


def test_absent_blank_or_unreadable_values_read_as_the_default(store):
    assert settings.INBOX_CURSOR.get() == 0 and settings.DEMO_SHOP.get() is False and settings.USAGE.get() is None
    Setting.create(key="inbox.cursor", value="not a number")
    Setting.create(key="delivery.usage", value="")
    Setting.create(key="line.last_sync", value="yesterday")
    assert settings.INBOX_CURSOR.get() == 0 and settings.USAGE.get() is None and settings.LAST_SYNC.get() is None


def test_set_overwrites_and_clear_removes(store):
    settings.PLAN.set("light")
    settings.PLAN.set("standard")
    assert _stored() == {"delivery.plan": "standard"}
    settings.write({settings.RELAY_URL: "https://relay.example", settings.INBOX_RELAY: "https://relay.example"})
    assert settings.read(settings.PLAN, settings.RELAY_URL, settings.INBOX_CURSOR) == (
        "standard", "https://relay.example", 0)
    settings.clear(settings.PLAN, settings.RELAY_URL)
    settings.INBOX_RELAY.clear()
    assert _stored() == {}


def test_an_undeclared_key_cannot_be_written(store):
    with pytest.raises(settings.UndeclaredSetting):
        settings.write_key("delivery.secret_token", "x")
    stray = settings.Declared("made.up", "str", "", False, "", str, str)  # looks declared, is not in the registry
    with pytest.raises(settings.UndeclaredSetting):
        stray.set("x")
    with pytest.raises(settings.UndeclaredSetting):
        settings.write({settings.PLAN: "light", stray: "x"})
    assert _stored() == {}  # refused before anything was written
    settings.write_key("delivery.plan", "light")
    assert _stored() == {"delivery.plan": "light"}


def test_a_family_declares_a_key_per_thing(store):
    settings.AUTOMATION_FRIENDS_SEEN[7].set(120)
    assert settings.declared("automations.friends_seen.7").get() == 120
    assert settings.AUTOMATION_FRIENDS_SEEN[8].get() == 0
    assert _stored() == {"automations.friends_seen.7": "120"}
    with pytest.raises(settings.UndeclaredSetting):
        settings.write_key("automations.friends_seen.", 1)  # the prefix alone names nothing
    with pytest.raises(settings.UndeclaredSetting):  # a family key must keep the family's type
        settings.write({settings.Declared("automations.friends_seen.9", "str", "", False, "", str, str): "x"})


def test_a_key_cannot_be_declared_twice():
    with pytest.raises(ValueError, match="declared twice"):
        settings._text("delivery.plan", per_channel=True, about="again")
    assert settings.declared("delivery.plan") is settings.PLAN


def test_every_declaration_says_whether_it_belongs_to_the_channel():
    keys = [s.key for s in settings.DECLARED.values()]
    assert len(keys) == len(set(keys))
    assert all(isinstance(s.per_channel, bool) and s.about for s in settings.DECLARED.values())
    assert settings.CHANNEL_USER_ID.per_channel and not settings.SHOP_TIMEZONE.per_channel


# --- every key the code uses is declared ----------------------------------------------------------------------

def _setting_names(tree: ast.Module) -> set[str]:
    """What the module calls the Setting model (imported from store.models, perhaps under another name)."""
    return {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module == "shopline.store.models" for alias in node.names if alias.name == "Setting"}


def _is_key_column(node: ast.AST, names: set[str]) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "key" and isinstance(node.value, ast.Name)
            and node.value.id in names)


def _key_expressions(tree: ast.Module, names: set[str]) -> list[ast.expr]:
    """The expressions a module passes as a Setting key: key=..., {"key": ...}, Setting.key == ..., .in_([...])."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            found += [kw.value for kw in node.keywords if kw.arg == "key"]
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "in_" and _is_key_column(func.value, names):
                found += node.args
        elif isinstance(node, ast.Dict):
            found += [v for k, v in zip(node.keys, node.values, strict=True)
                      if isinstance(k, ast.Constant) and k.value == "key"]
        elif isinstance(node, ast.Compare) and _is_key_column(node.left, names):
            found += node.comparators
    return found


def _constants(tree: ast.Module) -> dict[str, str]:
    return {t.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for t in node.targets if isinstance(t, ast.Name)}


def _key_strings(tree: ast.Module, names: set[str], elsewhere: dict[str, dict[str, str]]) -> set[str]:
    """Keys as literals, or as string constants of this module or imported from another of ours."""
    constants = _constants(tree)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module in elsewhere:
            theirs = elsewhere[node.module]
            constants.update({a.asname or a.name: theirs[a.name] for a in node.names if a.name in theirs})
    keys: set[str] = set()
    for expr in _key_expressions(tree, names):
        parts = list(ast.walk(expr))
        for fstring in (p for p in parts if isinstance(p, ast.JoinedStr)):  # f"family.{id}": its prefix
            head = fstring.values[0] if fstring.values else None
            if isinstance(head, ast.Constant):
                keys.add(str(head.value) + "*")
            parts = [p for p in parts if p not in fstring.values]
        for part in parts:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                keys.add(part.value)
            elif isinstance(part, ast.Name) and part.id in constants:
                keys.add(constants[part.id])
    return keys


def _scan(files: dict[str, str]) -> tuple[list[str], dict[str, set[str]]]:
    """(modules that touch Setting though they should not, {module: keys it uses that nobody declared})."""
    direct, undeclared = [], {}
    trees = {name: ast.parse(source) for name, source in files.items()}
    elsewhere = {name.removesuffix(".py").replace("/", "."): _constants(tree) for name, tree in trees.items()}
    for name, tree in trees.items():
        names = _setting_names(tree)
        if not names:
            continue
        if name not in NOT_YET_CONVERTED:
            direct.append(name)
        missing = {k for k in _key_strings(tree, names, elsewhere) - settings.DECLARED.keys()
                   if k.removesuffix("*") not in settings.FAMILIES}
        if missing:
            undeclared[name] = missing
    return direct, undeclared


def test_the_scan_sees_direct_writes_and_undeclared_keys():
    source = ('from shopline.store.models import Setting as S\nK = "made.up"\n'
              'S.replace(key=K, value="1").execute()\nS.get_or_none(S.key == "other.key")\n'
              'S.delete().where(S.key.in_(["delivery.plan"])).execute()\n'
              'S.replace_many([{"key": "third.key", "value": "1"}])\nS.select().where(S.value == "not a key")\n'
              'S.get(S.key == f"automations.friends_seen.{n}")\nS.get(S.key == f"no.family.{n}")\n')
    assert _scan({"shopline/x.py": source}) == (["shopline/x.py"], {"shopline/x.py": {"made.up", "other.key",
                                                                                      "third.key", "no.family.*"}})
    assert _scan({"shopline/inbox/apply.py": source})[0] == []
    imported = 'from shopline.k import K\nfrom shopline.store.models import Setting\nSetting.get(Setting.key == K)\n'
    assert _scan({"shopline/k.py": 'K = "far.away"\n', "shopline/inbox/apply.py": imported})[1] == {
        "shopline/inbox/apply.py": {"far.away"}}


def test_only_store_settings_touches_the_setting_table_and_every_key_is_declared():
    files = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted((ROOT / "shopline").rglob("*.py"))
             if p not in (HOME, ROOT / "shopline" / "store" / "models.py")}
    direct, undeclared = _scan(files)
    assert direct == [], "use shopline.store.settings instead of the Setting model"
    assert undeclared == {}, "declare these keys in shopline/store/settings.py"
