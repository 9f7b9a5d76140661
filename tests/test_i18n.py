"""Translations: catalogues complete and current, language switch, Babel formatting."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.messages.pofile import read_po

from perr_desktop import i18n
from tools import catalogs


def test_catalogues_are_complete_and_current():
    # Fails when a string was added without running `python -m tools.catalogs update`,
    # when a French translation is missing or fuzzy, or when a .mo was not recompiled.
    assert catalogs.problems() == []


@pytest.mark.parametrize("lang", catalogs.LANGUAGES)
def test_placeholders_survive_translation(lang):
    with catalogs.po_path(lang).open("rb") as fh:
        catalog = read_po(fh)
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(placeholder.findall(ids[-1]))
        for string in strings:
            assert set(placeholder.findall(string)) == wanted, (message.id, string)


def test_switching_language_changes_real_strings():
    i18n.set_language("fr")
    assert i18n._("Councils") == "Conseils"
    assert i18n._("Settings") == "Paramètres"
    i18n.set_language("en")
    assert i18n._("Councils") == "Councils"
    i18n.set_language("fr")


def test_plurals_follow_french_rules():
    i18n.set_language("fr")
    one = i18n.ngettext("%(count)s person", "%(count)s people", 1) % {"count": 1}
    many = i18n.ngettext("%(count)s person", "%(count)s people", 2) % {"count": 2}
    assert one == "1 personne"
    assert many == "2 personnes"


def test_translator_for_a_document_language_leaves_the_interface_alone():
    i18n.set_language("fr")
    assert i18n.translator("en").gettext("Councils") == "Councils"
    assert i18n._("Councils") == "Conseils"


def test_dates_and_numbers_are_formatted_by_babel():
    day = dt.date(2026, 11, 26)
    assert i18n.format_date(day, "full", lang="fr") == "jeudi 26 novembre 2026"
    assert i18n.format_date(day, "full", lang="en") == "Thursday, 26 November 2026"
    assert i18n.format_number(3560, lang="fr") == "3\u202f560"
    assert i18n.format_number(3560, lang="en") == "3,560"
    assert i18n.parse_date("26/11/2026", lang="fr") == day
    assert i18n.parse_date("2026-11-26") == day


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        i18n.set_language("de")
