"""Search everywhere (services/search.py) over the FTS5 index of migration 6."""

from __future__ import annotations

import pytest

from perr_desktop.services import councils, exchange, meetings, search, walks
from perr_desktop.storage import records


@pytest.fixture
def data(db, clock):
    council = councils.create_council(db, "Basseau Grande-Garenne")
    walk = walks.create_walk(db, council, "Diagnostic de nuit rue de Basseau", "2026-01-22")
    stop = walks.add_stop(db, walk, "Square Saint-Exupéry", notes="Bancs cassés")
    lamp = walks.add_observation(
        db, walk, description="Lampadaire éteint devant le n° 12",
        proposal="Remplacer l'ampoule", stop_id=stop)
    heart = walks.add_observation(db, walk, description="Le cœur du quartier est sombre")
    meeting = meetings.plan_meeting(db, council, "pleniere", "Plénière de janvier",
                                    "2026-01-29T18:30", notes="Éclairage public discuté")
    item = meetings.add_agenda_item(db, meeting, "Propreté des entrées")
    meetings.set_item_notes(db, item, "Les encombrants s'accumulent rue Hélène-Boucher.")
    decision = meetings.add_decision(db, meeting, "Demander un passage hebdomadaire",
                                     agenda_item_id=item)
    return {"council": council, "walk": walk, "stop": stop, "lamp": lamp, "heart": heart,
            "meeting": meeting, "item": item, "decision": decision}


def found(db, text: str, **kwargs) -> list[tuple[str, str]]:
    return [(hit.kind, hit.id) for hit in search.search(db, text, **kwargs)]


def test_accents_capitals_and_word_beginnings_do_not_matter(db, data):
    assert found(db, "LAMPA") == [("observation", data["lamp"])]
    assert found(db, "eteint") == [("observation", data["lamp"])]
    assert ("meeting", data["meeting"]) in found(db, "eclairage")
    assert found(db, "helene boucher") == [("agenda_item", data["item"])]
    # A ligature typed as two letters.
    assert found(db, "coeur") == [("observation", data["heart"])]
    assert found(db, "cœur") == [("observation", data["heart"])]


def test_every_word_must_be_there(db, data):
    assert found(db, "lampadaire ampoule") == [("observation", data["lamp"])]
    assert found(db, "lampadaire encombrants") == []


def test_a_hit_says_what_it_is_where_and_when(db, data):
    [hit] = search.search(db, "ampoule")
    assert hit.kind == "observation" and hit.walk_id == data["walk"]
    assert hit.date == "2026-01-22"
    assert "1" in hit.title and "Diagnostic de nuit" in hit.title
    assert "ampoule" in hit.snippet
    assert search.MARK_START + "ampoule" + search.MARK_END in hit.marked
    assert search.MARK_START not in hit.snippet
    [decision] = search.search(db, "hebdomadaire")
    assert (decision.kind, decision.meeting_id, decision.date) == (
        "decision", data["meeting"], "2026-01-29")
    assert "Plénière de janvier" in decision.title
    [stop] = search.search(db, "bancs")
    assert (stop.kind, stop.walk_id) == ("walk_stop", data["walk"])
    assert set(hit.as_dict()) == {"kind", "id", "title", "snippet", "date", "walk_id",
                                  "meeting_id"}


def test_titles_count_more_than_text(db, data):
    walks.add_observation(db, data["walk"], description="Rien à signaler",
                          proposal="Voir aussi la plénière")
    kinds = [kind for kind, _id in found(db, "pleniere")]
    assert kinds[0] == "meeting"


def test_edits_tombstones_and_restores_follow(db, data):
    walks.update_observation(db, data["lamp"], description="Poubelle renversée")
    assert found(db, "lampadaire") == []
    assert found(db, "poubelle") == [("observation", data["lamp"])]
    walks.remove_observation(db, data["lamp"])
    assert found(db, "poubelle") == []
    with db.transaction():
        records.restore(db, "observations", data["lamp"])
    assert found(db, "poubelle") == [("observation", data["lamp"])]


def test_records_of_a_removed_walk_or_meeting_are_not_found(db, data):
    walks.delete_walk(db, data["walk"])
    assert found(db, "lampadaire") == [] and found(db, "bancs") == []
    meetings.delete_meeting(db, data["meeting"])
    assert found(db, "encombrants") == [] and found(db, "hebdomadaire") == []


def test_a_hard_delete_leaves_nothing_in_the_index(db, data):
    with db.transaction():
        db.execute("DELETE FROM decisions WHERE id = ?", (data["decision"],))
    assert found(db, "hebdomadaire") == []
    assert not db.scalar("SELECT count(*) FROM search_map WHERE record_id = ?",
                         (data["decision"],))


@pytest.mark.parametrize("text", [
    '"', '""', '"lampadaire', "lampadaire\"", "*", "lampa*", "NEAR(", "NEAR(lampadaire",
    "lampadaire OR", "AND", "OR NOT", "(", ")", "^lampadaire", "title:lampadaire",
    "{title body}:x", "-", "'", "\\", "%", "_", "\x00", "   ", "", "🙂", "a" * 500,
    "l'éclairage", "n° 12",
])
def test_any_text_typed_is_searched_as_words_never_as_syntax(db, data, text):
    hits = search.search(db, text)          # never raises
    assert all(isinstance(hit, search.Hit) for hit in hits)


def test_hostile_text_still_finds_its_words(db, data):
    assert found(db, '"lampadaire') == [("observation", data["lamp"])]
    assert found(db, "NEAR(lampadaire") == []      # « near » is a word like another
    assert found(db, "lampa*") == [("observation", data["lamp"])]
    assert search.match_expression("   ") is None
    assert search.match_expression('a" OR "b') == '"a"* AND "or"* AND "b"*'


def test_the_limit_and_the_kinds(db, data):
    for n in range(30):
        walks.add_observation(db, data["walk"], description=f"Trottoir abîmé {n}")
    assert len(search.search(db, "trottoir", limit=7)) == 7
    assert len(search.search(db, "trottoir", limit=100)) == 30
    assert search.search(db, "trottoir", limit=0) == []
    assert found(db, "basseau", kinds=["walk"]) == [("walk", data["walk"])]


def test_the_index_never_travels_in_an_exchange_package(db, data):
    travelling = set(exchange._schema(db))
    assert not {name for name in travelling if name.startswith("search")}
    assert {"search_map", "search_fts"} <= exchange.LOCAL_TABLES


def test_compacting_the_index_keeps_what_is_found(db, data):
    walks.update_observation(db, data["lamp"], description="Banc neuf")
    search.compact_index(db)
    assert found(db, "lampadaire") == []
    assert found(db, "neuf") == [("observation", data["lamp"])]
