"""Journey 5: a year later the council walks the same route again; the before/after
view puts the two walks side by side, stop by stop. And the walk's documents: the
restitution report and one dossier per body concerned, saved as PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QPushButton

from perr_desktop.i18n import _
from perr_desktop.services import photos, walks
from perr_desktop.ui.walks.compare import CompareTab
from perr_desktop.ui.walks.documents import WalkDocumentsTab
from tests.ui.helpers import LEFT, OFFSCREEN_SIZE_HINTS, choose, show
from tests.ui.walks_fixtures import (
    LAMP,
    NIGHT,
    list_texts,
    make_council,
    make_walk,
    phone_photo,
    stop_ids,
    walk_row,
)

pytestmark = OFFSCREEN_SIZE_HINTS

REPAIRED = "Lampadaire réparé, la rue est éclairée"


@pytest.fixture
def council(db):
    return make_council(db)


@pytest.fixture
def before(db, council):
    """The night walk of 2026: the lamp post out at stop 2, a bench broken at stop 5."""
    walk_id = make_walk(db, council)
    stops = stop_ids(db, walk_id)
    walks.add_observation(db, walk_id, ["ville"], stop_id=stops[1], theme="eclairage",
                          description=LAMP, priority=1)
    walks.add_observation(db, walk_id, ["bailleur"], stop_id=stops[4],
                          theme="mobilier_urbain", description="Banc cassé devant l'école")
    return walk_id


@pytest.fixture
def after(db, before):
    """The same route walked again a year later, the lamp post repaired."""
    walk_id = walks.repeat_walk(db, before, "2027-11-18")
    stops = stop_ids(db, walk_id)
    walks.add_observation(db, walk_id, stop_id=stops[1], theme="eclairage", positive=True,
                          description=REPAIRED)
    return walk_id


@pytest.fixture
def compare(qtbot, db):
    return show(qtbot, CompareTab(db), 1200, 760)


def block(view, header: str) -> list[str]:
    """The lines under a stop's header (drawn bold), up to the next header."""
    texts = list_texts(view)
    out = []
    for n in range(texts.index(header) + 1, view.count()):
        if view.item(n).font().bold():
            break
        out.append(texts[n])
    return out


# -- before / after -------------------------------------------------------------------------

def test_the_walk_again_is_compared_with_the_earlier_one_stop_by_stop(
        qtbot, db, compare, before, after):
    compare.load(after)
    assert compare.previous.currentData() == before
    assert compare.before_title.text() != compare.after_title.text()

    then, now = list_texts(compare.before), list_texts(compare.after)
    header = "2. Rue de Basseau, n° 12"
    assert header in then and header in now
    assert then.index(header) == now.index(header)       # side by side
    assert any(LAMP in text for text in block(compare.before, header))
    assert any(REPAIRED in text for text in block(compare.after, header))
    assert not any(REPAIRED in text for text in then)
    assert "5. École Jules-Ferry" in then and "5. École Jules-Ferry" in now
    assert any("Banc cassé" in text
               for text in block(compare.before, "5. École Jules-Ferry"))
    assert block(compare.after, "5. École Jules-Ferry") == [_("No observation.")]


def test_the_follow_up_status_shows_under_the_earlier_observation(
        qtbot, db, compare, before, after):
    compare.load(after)
    then = list_texts(compare.before)
    (lamp,) = [t for t in then if LAMP in t]
    assert "\n(" in lamp                                 # « (Ville : à transmettre) »


def test_choosing_no_comparison_unlinks_the_walks(qtbot, db, compare, before, after):
    compare.load(after)
    choose(qtbot, compare.previous, None)
    assert walk_row(db, after)["previous_walk_id"] is None
    assert compare.before.count() == 0 and compare.after.count() == 0

    choose(qtbot, compare.previous, before)               # and linked again
    assert walk_row(db, after)["previous_walk_id"] == before
    assert compare.after.count() > 0


def test_only_earlier_walks_of_the_same_council_are_offered(qtbot, db, compare, council,
                                                            before, after):
    other = make_walk(db, make_council(db, "Ma Campagne"), "Diagnostic de l'été",
                      "2026-06-12", stops=())
    later = make_walk(db, council, "Diagnostic de 2028", "2028-11-16", stops=())
    compare.load(after)
    offered = [compare.previous.itemData(n) for n in range(compare.previous.count())]
    assert offered == [None, before]
    assert other not in offered and later not in offered


def test_a_stop_only_on_one_route_says_so(qtbot, db, compare, before, after):
    walks.add_stop(db, after, "Nouveau city-stade")
    compare.load(after)
    then, now = list_texts(compare.before), list_texts(compare.after)
    assert "9. Nouveau city-stade" in now
    assert "Nouveau city-stade" in then                  # no number: not on that route
    assert then.index("Nouveau city-stade") == now.index("9. Nouveau city-stade")


def test_a_walk_compared_with_nothing_shows_empty_columns(qtbot, db, compare, before):
    compare.load(before)
    assert compare.previous.currentData() is None
    assert compare.before.count() == 0 and compare.after.count() == 0


# -- documents -----------------------------------------------------------------------------

@pytest.fixture
def documents(qtbot, db):
    return show(qtbot, WalkDocumentsTab(db), 1000, 700)


def save_button(tab: WalkDocumentsTab, document: str) -> QPushButton:
    wanted = f"{_('Save as PDF…')} — {document}"
    (found,) = [b for b in tab.findChildren(QPushButton) if b.accessibleName() == wanted]
    return found


def save_to(monkeypatch, target: Path) -> list[str]:
    suggested: list[str] = []

    def answer(parent, caption, directory, *args, **kwargs):
        suggested.append(directory)
        return str(target), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return suggested


def test_the_body_list_offers_only_the_bodies_concerned_by_the_walk(qtbot, db, documents,
                                                                    before):
    documents.load(before)
    offered = [documents.body.itemData(n) for n in range(documents.body.count())]
    assert offered == ["ville", "bailleur"]              # in the vocabulary's order


def test_a_body_ticked_later_is_offered_next_time(qtbot, db, documents, before):
    from perr_desktop.services import followups

    lamp = walks.observations(db, before)[0]["id"]
    followups.set_bodies(db, lamp, ["ville", "departement"])
    documents.load(before)
    offered = [documents.body.itemData(n) for n in range(documents.body.count())]
    assert offered == ["ville", "bailleur", "departement"]


def test_save_the_restitution_report_as_pdf(qtbot, db, documents, before, tmp_path,
                                            monkeypatch, modals):
    report = photos.import_photos(db, before, [phone_photo(tmp_path / "IMG_0001.jpg")])
    walks.assign_photo(db, report.imported[0],
                       observation_id=walks.observations(db, before)[0]["id"])
    documents.load(before)
    suggested = save_to(monkeypatch, tmp_path / "restitution")
    qtbot.mouseClick(save_button(documents, _("Restitution report")), LEFT)

    written = tmp_path / "restitution.pdf"                 # the extension is added
    assert written.read_bytes().startswith(b"%PDF")
    assert suggested and suggested[0].endswith(".pdf")
    assert not list(tmp_path.glob("*.partial"))
    assert modals.messages == []                           # no error box


def test_save_the_dossier_of_a_body_as_pdf(qtbot, db, documents, before, tmp_path,
                                           monkeypatch, modals):
    documents.load(before)
    choose(qtbot, documents.body, "bailleur")
    save_to(monkeypatch, tmp_path / "dossier-bailleur.pdf")
    qtbot.mouseClick(save_button(documents, _("Dossier for a body")), LEFT)
    assert (tmp_path / "dossier-bailleur.pdf").read_bytes().startswith(b"%PDF")


def test_a_dossier_without_any_body_concerned_is_one_sentence(qtbot, db, documents, council,
                                                              tmp_path, monkeypatch, modals):
    quiet = make_walk(db, council, NIGHT, "2026-12-01", stops=())
    walks.add_observation(db, quiet, description="Rien à signaler", positive=True)
    documents.load(quiet)
    assert documents.body.count() == 0
    save_to(monkeypatch, tmp_path / "dossier.pdf")
    qtbot.mouseClick(save_button(documents, _("Dossier for a body")), LEFT)
    assert [kind for kind, _t, _m in modals.messages] == ["warning"]
    assert not (tmp_path / "dossier.pdf").exists()


def test_cancelling_the_file_dialog_writes_nothing(qtbot, db, documents, before, tmp_path,
                                                   modals):
    documents.load(before)
    qtbot.mouseClick(save_button(documents, _("Restitution report")), LEFT)
    assert modals.messages == [("save", "", "")]          # the conftest's « Cancel »
    assert list(tmp_path.glob("*.pdf")) == []
