"""Which column of a register's export is which field: the aliases' guess, with the shop's mapping (the dialog's
combos, `--map FIELD=HEADER`) and `--key` laid over it, and the sentence a file without a needed column gets."""

from __future__ import annotations

from pathlib import Path

from shopline.core.folding import fold
from shopline.core.messages import Text
from shopline.core.purchase_values import REQUIRED_ROLES, ROLE_LABELS, ROLES, guess_mapping, header_key, role_named
from shopline.csvio.errors import CsvUnusableError

FieldMap = dict[str, str]  # field (core.purchase_values.ROLES) -> the file's header; "" when the file lacks it
Roles = dict[str, int]  # field -> column index, as the import reads a row


def roles_for(path: Path, headers: list[str], mapping: FieldMap | None, key: str | None) -> Roles:
    roles = merge(headers, guess_mapping(headers), mapping, strict=True, name=path.name)
    if key:
        roles = merge(headers, roles, {"customer": key}, strict=True, name=path.name)
    for role in REQUIRED_ROLES:
        if role not in roles:
            shown = "、".join(h for h in headers[:10] if h.strip()) or "(空)"
            label = ROLE_LABELS[role]
            raise CsvUnusableError(Text(
                f"{path.name} に{label.ja}の列が見つかりません(見出し: {shown})。"
                + ("--key で会員番号かユーザーIDの列を指定するか、" if role == "customer" else "")
                + "見出しを「ユーザーID」「会員番号」「注文日」のように直してください。",
                f"{path.name} has no column for the {label.en} (headers: {shown}). "
                + ("Name the member number or user ID column with --key, or " if role == "customer" else "")
                + "rename the headers (ユーザーID, 会員番号, 注文日 ...)."))
    return roles


def merge(headers: list[str], roles: Roles, mapping: FieldMap | None, *, strict: bool, name: str = "") -> Roles:
    """`roles` with the shop's choices laid over it. Strict, a field or header the file does not know is refused;
    otherwise (the preview of a mapping being edited) it is left out."""
    merged = dict(roles)
    for wanted, header in (mapping or {}).items():
        role = role_named(wanted)
        if role is None:
            if not strict:
                continue
            names = "、".join(f"{r}({ROLE_LABELS[r].ja})" for r in ROLES)
            raise CsvUnusableError(Text(f"「{wanted}」という項目はありません。使える項目: {names}",
                                        f"There is no field \"{wanted}\". The fields are: {names}"))
        merged.pop(role, None)
        if not header:
            continue
        found = column_of(headers, header)
        if found is None:
            if not strict:
                continue
            shown = "、".join(h for h in headers[:10] if h.strip())
            raise CsvUnusableError(Text(f"{name} に「{fold(header)}」の列がありません(見出し: {shown})。",
                                        f"{name} has no column \"{fold(header)}\" (headers: {shown})."))
        merged = {r: i for r, i in merged.items() if i != found}
        merged[role] = found
    return merged


def column_of(headers: list[str], header: str) -> int | None:
    if header in headers:
        return headers.index(header)
    wanted = header_key(header)
    return next((i for i, h in enumerate(headers) if header_key(h) == wanted), None)
