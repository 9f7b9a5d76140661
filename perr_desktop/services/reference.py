"""Reference data as the user sees it: vocabularies, neighbourhoods, the PERR tree."""

from __future__ import annotations

from typing import Any

from perr_desktop.domain.text import clean, limit_length, require_text, search_key
from perr_desktop.errors import UserError, ValidationError
from perr_desktop.i18n import _, get_language
from perr_desktop.storage import records


def _label(row: dict[str, Any], lang: str | None) -> str:
    if (lang or get_language()) == "en" and row.get("label_en"):
        return row["label_en"]
    return row["label_fr"]


def vocabulary(db, kind: str, lang: str | None = None) -> list[dict[str, Any]]:
    """Live entries of one vocabulary, in their order, each with ``label`` in ``lang``."""
    rows = db.query(
        "SELECT * FROM vocabulary WHERE kind = ? AND deleted_at IS NULL "
        "ORDER BY sort_order, label_fr",
        (kind,),
    )
    for row in rows:
        row["label"] = _label(row, lang)
    return rows


def vocabulary_labels(db, kind: str, lang: str | None = None) -> dict[str, str]:
    """Code → label, tombstoned entries included (old records still name them)."""
    rows = db.query("SELECT code, label_fr, label_en FROM vocabulary WHERE kind = ?", (kind,))
    return {row["code"]: _label(row, lang) for row in rows}


def update_vocabulary_entry(db, entry_id: str, label_fr: str, label_en: str) -> None:
    label_fr = limit_length(require_text(label_fr, "label_fr", _("A label is required.")),
                            "label_fr")
    with db.transaction():
        records.update(db, "vocabulary", entry_id, {
            "label_fr": label_fr, "label_en": limit_length(clean(label_en), "label_en"),
        })


def add_vocabulary_entry(db, kind: str, label_fr: str, label_en: str = "") -> str:
    label_fr = limit_length(require_text(label_fr, "label_fr", _("A label is required.")),
                            "label_fr")
    base = search_key(label_fr).replace(" ", "_").replace("'", "_")[:40] or "entree"
    with db.transaction():
        rows = db.query("SELECT code FROM vocabulary WHERE kind = ?", (kind,))
        codes = {r["code"] for r in rows}
        code, n = base, 2
        while code in codes:
            code, n = f"{base}_{n}", n + 1
        order = db.scalar(
            "SELECT coalesce(max(sort_order), -1) + 1 FROM vocabulary WHERE kind = ?", (kind,)
        )
        return records.insert(db, "vocabulary", {
            "kind": kind, "code": code, "label_fr": label_fr, "label_en": clean(label_en),
            "sort_order": order,
        })


def remove_vocabulary_entry(db, entry_id: str) -> None:
    with db.transaction():
        entry = records.get(db, "vocabulary", entry_id)
        if entry["system"]:
            raise UserError(
                _("“%(label)s” is used by the application's rules: it can be renamed "
                  "but not removed.") % {"label": entry["label_fr"]}
            )
        records.soft_delete(db, "vocabulary", entry_id)


def neighbourhoods(db) -> list[dict[str, Any]]:
    return db.query(
        "SELECT * FROM neighbourhoods WHERE deleted_at IS NULL ORDER BY commune, name"
    )


NEIGHBOURHOOD_FIELDS = ("name", "commune", "population", "notes")


def update_neighbourhood(db, neighbourhood_id: str, **changes: Any) -> None:
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field not in NEIGHBOURHOOD_FIELDS:
            raise ValueError(f"not an editable neighbourhood field: {field}")
        if field == "population":
            out[field] = _whole_number(value, field)
            if out[field] is not None and out[field] < 0:
                raise ValidationError(_("A population cannot be negative."), field)
        elif field == "name":
            out[field] = require_text(value, field, _("A neighbourhood needs a name."))
        else:
            out[field] = clean(value)
    with db.transaction():
        records.update(db, "neighbourhoods", neighbourhood_id, out)


def _whole_number(value: Any, field: str) -> int | None:
    """A count typed by a person: « 1 943 » (French digit grouping) is fine, « 3,7 » not."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = "".join(str(value).split())  # any space, including the narrow no-break one
    if not text.isdigit():
        raise ValidationError(_("%(value)s is not a whole number.") % {"value": value}, field)
    return int(text)


def perr_objectives(db, lang: str | None = None) -> list[dict[str, Any]]:
    """The PERR tree in reading order, each node with ``label`` in ``lang``."""
    rows = db.query(
        "SELECT * FROM perr_objectives WHERE deleted_at IS NULL ORDER BY sort_order"
    )
    for row in rows:
        row["label"] = _label(row, lang)
    return rows


def update_objective(db, objective_id: str, label_fr: str, label_en: str) -> None:
    label_fr = require_text(label_fr, "label_fr", _("An objective needs a French text."))
    with db.transaction():
        records.update(db, "perr_objectives", objective_id,
                       {"label_fr": limit_length(label_fr, "label_fr", 2000),
                        "label_en": limit_length(clean(label_en), "label_en", 2000)})
