"""tools/catalogs.py's `todo` and `apply`: the way new strings get their French."""

import json
import shutil

import pytest

from tools import catalogs


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A copy of the catalogues with one untranslated, one plural and one fuzzy entry."""
    shutil.copytree(catalogs.TRANSLATIONS, tmp_path / "translations")
    monkeypatch.setattr(catalogs, "TRANSLATIONS", tmp_path / "translations")
    po = catalogs.po_path("fr")
    catalog = catalogs._read(po, "fr")
    catalog["Councils"].string = ""
    catalog.get("%(count)s person").string = ("", "", "")
    catalog["Settings"].flags.add("fuzzy")
    po.write_bytes(catalogs._serialise_po(catalog))
    return tmp_path


def test_todo_lists_what_is_missing_and_apply_fills_it(tree):
    todo = catalogs.todo("fr")
    assert todo["Councils"] == "" and todo["Settings"] == ""
    assert todo["%(count)s person"] == ["", "", ""]
    assert "plural: %(count)s people" in todo["# %(count)s person"]
    todo.update({"Councils": "Conseils", "Settings": "Paramètres",
                 "%(count)s person": ["%(count)s personne", "%(count)s personnes",
                                      "%(count)s personnes"],
                 "gone from the code": "x"})
    answers = tree / "todo.json"
    answers.write_text(json.dumps(todo), encoding="utf-8")

    assert catalogs.apply(answers, "fr") == 3

    catalog = catalogs._read(catalogs.po_path("fr"), "fr")
    assert catalogs.untranslated(catalog) == []
    assert not catalog["Settings"].fuzzy
    assert catalogs.todo("fr") == {}
    assert catalogs.mo_path("fr").read_bytes() == catalogs._serialise_mo(catalog)


@pytest.mark.parametrize("bad", [
    {"%(count)s person": ["une personne", "%(count)s personnes", "%(count)s personnes"]},
    {"%(count)s person": "%(count)s personne"},
    {"Councils": ["Conseils"]},
])
def test_apply_refuses_lost_placeholders_and_wrong_forms(tree, bad):
    before = catalogs.po_path("fr").read_bytes()
    answers = tree / "bad.json"
    answers.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(SystemExit):
        catalogs.apply(answers, "fr")
    assert catalogs.po_path("fr").read_bytes() == before
