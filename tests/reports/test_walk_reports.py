"""The three walk documents, read back from the PDF: the restitution report, the dossier
for one body and the follow-up table, in French and in English."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import shutil
import subprocess

import pypdf
import pytest
from PIL import Image, ImageDraw

from perr_desktop.errors import NotFoundError, UserError
from perr_desktop.i18n import translator
from perr_desktop.reports import body_dossier, followup, walk
from perr_desktop.services import councils, followups, walks
from perr_desktop.storage import media, records

LAMP = "Lampadaire éteint depuis 3 semaines devant le n° 12"
TODAY = dt.date(2027, 3, 15)

STOPS = [  # name, address, plan_x, plan_y
    ("Parvis du centre social", "2 rue de l'Étang, Soyaux", 0.14, 0.22),
    ("Allée des Peupliers", "Allée des Peupliers, Soyaux", 0.32, 0.40),
    ("Square Jean-Moulin", "Rue Jean-Moulin, Soyaux", 0.52, 0.30),
    ("Arrêt de bus « Mairie »", "Avenue du Général-de-Gaulle, Soyaux", 0.70, 0.52),
    ("Résidence Les Tilleuls – hall B", "14 rue des Tilleuls, Soyaux", 0.58, 0.74),
    ("Chemin piéton vers l'école", "Chemin de la Garenne, Soyaux", 0.30, 0.80),
]
# stop (1-based, 0: between stops), theme, positive, priority, bodies, tags, description,
# feeling, proposal, objective
OBSERVATIONS = [
    (1, "espaces_verts", True, None, [], "",
     "Massifs fleuris entretenus par les habitants devant le centre social.",
     "Fierté, envie de continuer.", "Associer les jardins partagés à l'entretien.", "D7.02"),
    (2, "eclairage", False, 1, ["ville"], "", LAMP,
     "On ne voit plus où l'on marche, les femmes évitent l'allée le soir.",
     "Réparer le lampadaire et vérifier les autres points lumineux de l'allée.", "R3.03"),
    (2, "voirie", False, 2, ["ville"], "",
     "Trottoir soulevé par les racines sur une dizaine de mètres, poussettes obligées de "
     "descendre sur la chaussée.", "", "Reprendre le trottoir et protéger les racines.", None),
    (3, "mobilier_urbain", False, 3, ["ville"], "",
     "Deux bancs sur trois cassés dans le square.", "Dommage, c'est le seul endroit pour "
     "s'asseoir.", "Remplacer les bancs.", None),
    (3, "proprete", True, None, ["bailleur"], "",
     "Square propre, poubelles vidées régulièrement.", "", "", None),
    (4, "transports", False, 2, ["departement", "ville"], "",
     "Abribus sans éclairage ni horaires lisibles.", "On attend dans le noir.",
     "Éclairer l'abribus et afficher les horaires en grand.", None),
    (4, "securite", False, 1, ["ville"], "",
     "Passage piéton effacé à la sortie du virage : les voitures ne ralentissent pas.",
     "Peur pour les enfants.", "Repeindre le passage et poser un ralentisseur.", "D6.03"),
    (5, "logement", False, 1, ["bailleur"], "TFPB",
     "Hall B : porte d'entrée qui ne ferme plus, boîtes aux lettres forcées.",
     "Sentiment d'abandon.", "Réparer la porte et les boîtes aux lettres (programme TFPB).",
     None),
    (5, "eclairage", False, 2, ["bailleur"], "TFPB, parties communes",
     "Minuterie de l'escalier trop courte (15 secondes).", "",
     "Allonger la minuterie à une minute.", None),
    (5, "logement", True, None, ["bailleur"], "TFPB",
     "Local vélos neuf, apprécié des jeunes.", "", "", None),
    (6, "accessibilite", False, 3, ["ville"], "",
     "Chemin vers l'école impraticable en fauteuil : marche de 15 cm au bout.",
     "", "Créer une rampe.", None),
    (0, "bruit", False, None, [], "",
     "Scooters tard le soir derrière la résidence (entendu entre deux arrêts).", "", "", None),
]
PARTICIPANTS = [  # role, name, organisation
    ("animateur", "Samira Benhaddou", "CSCS du Champ de Manœuvre"),
    ("preneur_notes", "Loïc Lefèvre", ""),
    ("habitant", "Hélène Garnier", ""),
    ("partenaire", "Julien Faure", "Logélia – bailleur social"),
    ("partenaire", "Nadia Roux", "Ville de Soyaux, services techniques"),
]


# -- building a walk -------------------------------------------------------------------

def write_image(db, image: Image.Image, kind: str = "photo", name: str = "",
                taken_at: str | None = None, fmt: str = "JPEG") -> str:
    """An image stored the way the import stores it (working copy and thumbnail under
    the media folder), with its ``media`` row; returns the media id."""
    out = io.BytesIO()
    image.save(out, fmt, quality=85) if fmt == "JPEG" else image.save(out, fmt)
    data = out.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    path = media.working_path(db.path, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    thumb = image.convert("RGB").copy()
    thumb.thumbnail((media.THUMBNAIL_SIZE, media.THUMBNAIL_SIZE))
    thumb.save(media.thumbnail_path(db.path, sha), "JPEG", quality=80)
    with db.transaction():
        return records.insert(db, "media", {
            "sha256": sha, "kind": kind, "original_name": name, "original_size": len(data),
            "width": image.width, "height": image.height, "taken_at": taken_at})


def add_photo(db, walk_id: str, image: Image.Image, observation_id: str | None = None,
              stop_id: str | None = None, caption: str = "", identifiable: bool = False,
              name: str = "", taken_at: str | None = None) -> str:
    media_id = write_image(db, image, name=name, taken_at=taken_at)
    with db.transaction():
        return records.insert(db, "photos", {
            "walk_id": walk_id, "media_id": media_id, "observation_id": observation_id,
            "stop_id": stop_id, "identifiable": int(identifiable), "caption": caption})


def photo_image(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A small picture unlike the others (its own colours and shapes)."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        draw.rectangle((x, y, x + rng.randrange(40, 200), y + rng.randrange(30, 150)),
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    return image


def plan_image(size: tuple[int, int] = (1600, 1100)) -> Image.Image:
    """A neighbourhood plan: blocks, streets, a park (what the city gives as PNG)."""
    width, height = size
    image = Image.new("RGBA", size, (244, 241, 232, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((int(width * .42), int(height * .18), int(width * .62), int(height * .42)),
                   fill=(196, 224, 180, 255))
    for x in range(0, width, 210):
        for y in range(0, height, 170):
            draw.rectangle((x + 30, y + 30, x + 180, y + 140), fill=(226, 220, 208, 255))
    for y in (0.22, 0.52, 0.80):
        draw.line((0, int(height * y), width, int(height * y)), fill=(255, 255, 255, 255),
                  width=22)
    for x in (0.14, 0.32, 0.70):
        draw.line((int(width * x), 0, int(width * x), height), fill=(255, 255, 255, 255),
                  width=18)
    return image


def make_walk(db, *, identifiable_included: bool = False) -> dict:
    """The council of Champ de Manœuvre, its night walk (6 stops, 12 observations, a
    plan, 8 photos of which one shows children), follow-up steps with the bodies."""
    [champ] = councils.create_qpv_councils(db, ["champ-de-manoeuvre"])
    councils.update_council(
        db, champ, facilitator_name="Samira Benhaddou",
        facilitator_contact="05 45 00 12 34 – samira.benhaddou@cscs-soyaux.fr",
        venue="Centre social, 2 rue de l'Étang, Soyaux")
    walk_id = walks.create_walk(
        db, champ, "Diagnostic nocturne du Champ de Manœuvre", "2026-11-26", period="nuit",
        start_time="20:30", weather="Sec, 6 °C, vent faible",
        notes="Parcours préparé avec les habitants lors de la plénière d'octobre.")
    walks.update_walk(db, walk_id, counted_participants=12)
    for role, name, organisation in PARTICIPANTS:
        walks.add_participant(db, walk_id, role, name=name, organisation=organisation)
    stops = [walks.add_stop(db, walk_id, name, address=address, plan_x=x, plan_y=y)
             for name, address, x, y in STOPS]
    observations = []
    for n, (stop, theme, positive, priority, bodies, tags, description, feeling, proposal,
            objective) in enumerate(OBSERVATIONS):
        x, y = (STOPS[stop - 1][2] + 0.035 * (n % 3 - 1), STOPS[stop - 1][3] - 0.06) \
            if stop else (0.45, 0.62)
        observations.append(walks.add_observation(
            db, walk_id, bodies=bodies, stop_id=stops[stop - 1] if stop else None,
            theme=theme, positive=positive, priority=priority, tags=tags,
            description=description, feeling=feeling, proposal=proposal,
            objective_code=objective, plan_x=x, plan_y=y))
    walks.set_plan(db, walk_id, write_image(db, plan_image(), kind="plan",
                                            name="plan-quartier.png", fmt="PNG"))
    photos = {
        "lamp": add_photo(db, walk_id, photo_image(1), observations[1],
                          caption="Le lampadaire du n° 12, éteint", name="IMG_2031.JPG",
                          taken_at="2026-11-26T20:47:12"),
        "lamp2": add_photo(db, walk_id, photo_image(2, (480, 640)), observations[1],
                           name="IMG_2032.JPG", taken_at="2026-11-26T20:48:03"),
        "pavement": add_photo(db, walk_id, photo_image(3), observations[2],
                              caption="Racines sous le trottoir"),
        "bench": add_photo(db, walk_id, photo_image(4), observations[3]),
        "children": add_photo(db, walk_id, photo_image(5), observations[6],
                              caption="Sortie d'école au passage piéton",
                              identifiable=True),
        "door": add_photo(db, walk_id, photo_image(6), observations[7],
                          caption="Porte du hall B"),
        "letterboxes": add_photo(db, walk_id, photo_image(7), observations[7],
                                 caption="Boîtes aux lettres forcées"),
        "square": add_photo(db, walk_id, photo_image(8), stop_id=stops[2],
                            caption="Vue d'ensemble du square"),
    }
    if identifiable_included:
        walks.flag_identifiable(db, photos["children"], True, include_anyway=True)
    return {"council": champ, "walk": walk_id, "stops": stops, "observations": observations,
            "photos": photos}


def follow_up(db, ids: dict) -> dict:
    """Steps with the bodies: the lamp « programmé », the hall door sent by letter and
    overdue, the bus shelter redirected, the benches resolved."""
    by_key = {}
    for row in followups.search(db, council_id=ids["council"]):
        by_key[(row["number"], row["body"])] = row["id"]
    followups.add_step(db, by_key[(2, "ville")], "transmis", "2026-12-03", "courrier",
                       "Courrier au maire", "2027-01-03")
    followups.add_step(db, by_key[(2, "ville")], "programme", "2027-01-10", "reponse_ecrite",
                       "Remplacement programmé en mars", "2027-04-01")
    followups.add_step(db, by_key[(8, "bailleur")], "transmis", "2026-12-03", "mail",
                       "Envoyé au gestionnaire de secteur", "2027-01-15")
    followups.add_step(db, by_key[(6, "departement")], "reoriente", "2027-01-20",
                       "reunion_gup", "Compétence de l'agglomération (transports)")
    followups.add_step(db, by_key[(4, "ville")], "resolu", "2027-02-10", "reunion_gup",
                       "Bancs remplacés")
    return by_key


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(followups, "_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def built(db, today):
    ids = make_walk(db)
    ids["followups"] = follow_up(db, ids)
    return ids


# -- reading a PDF back ------------------------------------------------------------------

def pages_text(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [(page.extract_text() or "").replace("\xa0", " ").replace("\u202f", " ")
            for page in reader.pages]


def text(data: bytes) -> str:
    # Lines joined with spaces: a sentence wrapped over two lines still matches.
    return " ".join(" ".join(page.split()) for page in pages_text(data))


def images(data: bytes) -> list[list[dict]]:
    """Per page, the images drawn on it: pixel size and compression filter."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    out = []
    for page in reader.pages:
        found = []
        resources = page["/Resources"].get_object()
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                filters = xobject.get("/Filter")
                filters = [filters] if isinstance(filters, str) else list(filters or [])
                found.append({"width": xobject["/Width"], "height": xobject["/Height"],
                              "filters": [str(f) for f in filters]})
        out.append(found)
    return out


def image_count(data: bytes) -> int:
    return sum(len(page) for page in images(data))


def fr(msgid: str) -> str:
    """A label as the French catalogue has it (the English id until it is translated:
    the document uses the same catalogue, so the test holds before and after)."""
    return translator("fr").gettext(msgid)


def fonts_embedded(data: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(data))
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            seen.add(str(font["/BaseFont"]))
    assert seen and all("Liberation" in name for name in seen), seen


# -- the restitution report --------------------------------------------------------------

def test_walk_report_in_french(db, built):
    content = text(walk.build(db, built["walk"], lang="fr"))
    assert "Jeudi 26 novembre 2026" in content           # the date written in full
    assert "jeudi 26 novembre 2026" in content
    assert "20 h 30" in content
    assert "Champ de Manœuvre" in content
    assert "Quartier prioritaire : Champ de Manœuvre (Soyaux)" in content
    assert "Diagnostic nocturne du Champ de Manœuvre" in content
    assert "Sec, 6 °C, vent faible" in content
    assert fr("By night") in content
    assert "Animateur (1), Preneur de notes (1), Habitant (1), Partenaire (2)" in content
    for name, address, _x, _y in STOPS:
        assert name in content and address in content
    for observation in OBSERVATIONS:
        assert " ".join(observation[6].split()) in content, observation[6]
    for proposal in ("Réparer le lampadaire et vérifier les autres points lumineux de "
                     "l'allée.", "Créer une rampe."):
        assert proposal in content
    assert "Éclairage" in content and "Logement et parties communes" in content  # themes
    assert "Ville (commune)" in content and "Bailleur social" in content        # bodies
    assert "TFPB, parties communes" in content                                  # tags
    assert "R3.03" in content                                                   # PERR
    assert "Le lampadaire du n° 12, éteint" in content                          # caption
    assert fr("Not at a stop") in content
    for person in ("Samira Benhaddou", "Hélène Garnier", "Logélia – bailleur social"):
        assert person in content
    assert LAMP in content


def test_walk_report_follows_the_route(db, built):
    """Stops in route order, each with its observations; those between stops last."""
    content = text(walk.build(db, built["walk"], lang="fr"))
    observations = content[content.index(fr("Observations"), content.index(STOPS[-1][0])):]
    positions = [observations.index(fr("Stop %(number)s – %(name)s")
                                    % {"number": n, "name": stop[0]})
                 for n, stop in enumerate(STOPS, start=1)]
    assert positions == sorted(positions)
    assert positions[1] < observations.index(LAMP) < positions[2]
    assert observations.index("Scooters tard le soir") > positions[-1]


def test_theme_synthesis_counts(db, built):
    content = text(walk.build(db, built["walk"], lang="fr"))
    synthesis = content[content.index(fr("Synthesis")):]
    assert "Éclairage 0 2 2" in synthesis
    assert "Logement et parties communes 1 1 2" in synthesis
    assert "Propreté 1 0 1" in synthesis
    assert "Espaces verts 1 0 1" in synthesis
    assert f"{fr('Total')} 3 9 12" in synthesis
    # problems by priority: 1 first (lamp, crossing, hall door), then 2, then 3, then none
    priority = fr("Priority %(number)s")
    starts = [synthesis.index(priority % {"number": n} + " – ") for n in (1, 2, 3)]
    assert starts == sorted(starts)
    assert starts[0] < synthesis.index(LAMP) < starts[1]
    assert starts[0] < synthesis.index("Hall B : porte d'entrée") < starts[1]
    assert starts[1] < synthesis.index("Minuterie de l'escalier") < starts[2]
    assert starts[2] < synthesis.index("Deux bancs sur trois") < synthesis.index(
        fr("No priority given"))
    assert "Massifs fleuris" not in synthesis         # a strong point is no problem


def test_walk_report_in_english(db, built):
    content = text(walk.build(db, built["walk"], lang="en"))
    for label in ("Walking diagnostic", "Thursday, 26 November 2026", "8:30 pm", "By night",
                  "Route", "Stops", "Observations", "Synthesis", "Strong points (+)",
                  "Problems by priority", "Participants", "Not at a stop",
                  "Priority neighbourhood: Champ de Manœuvre (Soyaux)",
                  "Facilitator (1), Note-taker (1), Resident (1), Partner (2)",
                  "Lighting 0 2 2", "Housing and common areas 1 1 2", "Total 3 9 12",
                  "City (municipality)", "Social landlord", "Stop 2 – Allée des Peupliers"):
        assert label in content, label
    assert LAMP in content                              # the user's text stays as typed
    assert "jeudi" not in content and "Éclairage" not in content


def test_identifiable_photo_left_out_unless_asked(db, built):
    caption = "Sortie d'école au passage piéton"
    default = walk.build(db, built["walk"], lang="fr")
    included = walk.build(db, built["walk"], lang="fr", include_identifiable=True)
    # the plan, 6 photos of observations and 1 of a stop; the children's photo is out
    assert image_count(default) == 8
    assert caption not in text(default)
    assert image_count(included) == 9
    assert caption in text(included)
    note = translator("fr").ngettext(
        "%(count)s photo showing identifiable people is not reproduced in this report.",
        "%(count)s photos showing identifiable people are not reproduced in this report.",
        1) % {"count": 1}
    assert note in text(default) and note not in text(included)


def test_identifiable_photo_included_by_its_own_choice(db, built):
    walks.flag_identifiable(db, built["photos"]["children"], True, include_anyway=True)
    data = walk.build(db, built["walk"], lang="fr")
    assert image_count(data) == 9
    assert "Sortie d'école au passage piéton" in text(data)


def test_images_downscaled_to_what_the_page_needs(db, built):
    data = walk.build(db, built["walk"], lang="fr")
    pages = images(data)
    plan_pages = [n for n, page in enumerate(pages) if any(i["width"] > 600 for i in page)]
    assert len(plan_pages) == 1
    [plan] = [i for i in pages[plan_pages[0]] if i["width"] > 600]
    assert max(plan["width"], plan["height"]) <= walk.PLAN_MAX_PX
    assert abs(plan["width"] / plan["height"] - 1600 / 1100) < 0.01  # aspect kept
    for page in pages:
        for image in page:
            # JPEG as it is: no raw pixels, no ASCII85 wrapping a quarter bigger
            assert image["filters"] == ["/DCTDecode"]
            if image is not plan:
                assert max(image["width"], image["height"]) <= walk.PHOTO_MAX_PX
    assert len(data) < 1_000_000


def test_plan_pins_every_stop_and_placed_observation(db, built):
    """The plan's page draws a circled number per stop and a pin per observation."""
    data = walk.build(db, built["walk"], lang="fr")
    reader = pypdf.PdfReader(io.BytesIO(data))
    plan_page = next(page for page in reader.pages
                     if "/XObject" in page["/Resources"] and fr("Route") in page.extract_text())
    words = plan_page.extract_text().split()
    for number in range(1, len(OBSERVATIONS) + 1):
        assert str(number) in words


def test_missing_image_file_prints_a_box(db, built):
    sha = db.scalar("SELECT m.sha256 FROM photos p JOIN media m ON m.id = p.media_id "
                    "WHERE p.id = ?", (built["photos"]["bench"],))
    media.working_path(db.path, sha).unlink()
    data = walk.build(db, built["walk"], lang="fr")
    assert fr("Image file missing") in text(data)
    assert image_count(data) == 7


def test_long_description_flows_across_pages(db, built):
    paragraphs = [f"Paragraphe {n} : " + "les habitants décrivent l'allée la nuit. " * 12
                  for n in range(1, 41)]
    walks.update_observation(db, built["observations"][1], description="\n\n".join(paragraphs))
    content = text(walk.build(db, built["walk"], lang="fr"))
    assert "Paragraphe 1 :" in content and "Paragraphe 40 :" in content


def test_bare_walk_builds(db, today):
    [council] = councils.create_qpv_councils(db, ["ma-campagne"])
    walk_id = walks.create_walk(db, council, "Tour du quartier <b>& co</b>", "2027-02-01")
    content = text(walk.build(db, walk_id, lang="fr"))
    assert "Tour du quartier <b>& co</b>" in content   # escaped, printed as typed
    assert fr("No stop was recorded for this walk.") in content
    assert fr("By day") in content


def test_unknown_walk(db):
    with pytest.raises(NotFoundError):
        walk.build(db, "nope")


# -- the dossier for one body ------------------------------------------------------------

def test_body_dossier_has_only_that_body_observations(db, built):
    data = body_dossier.build(db, built["walk"], "bailleur", lang="fr")
    content = text(data)
    mine = {5, 8, 9, 10}            # ticked for the landlord (5 and 10 are strong points)
    for number, observation in enumerate(OBSERVATIONS, start=1):
        description = " ".join(observation[6].split())
        assert (description in content) == (number in mine), number
    assert fr("For the attention of:") in content
    assert "Bailleur social" in content
    subject = fr("Walking diagnostic of %(date)s – observations concerning you") % {
        "date": "26 novembre 2026"}
    assert subject in content
    assert "Samira Benhaddou" in content
    assert "05 45 00 12 34 – samira.benhaddou@cscs-soyaux.fr" in content
    assert "Réparer la porte et les boîtes aux lettres (programme TFPB)." in content
    assert "14 rue des Tilleuls, Soyaux" in content
    # the follow-up as it stands: the hall door was sent by email on 3 December
    assert fr("%(status)s on %(date)s (%(channel)s)") % {
        "status": "Transmis", "date": "3 décembre 2026", "channel": "Courriel"} in content
    # problems by priority (8 before 9), then the strong points
    assert content.index("Hall B : porte") < content.index("Minuterie de l'escalier") \
        < content.index("Local vélos neuf")
    assert image_count(data) == 2   # the door and the letterboxes


def test_body_dossier_leaves_identifiable_photos_out(db, built):
    data = body_dossier.build(db, built["walk"], "ville", lang="fr")
    content = text(data)
    assert "Passage piéton effacé" in content
    assert "Sortie d'école au passage piéton" not in content
    assert image_count(data) == 4   # lamp (2), pavement, benches
    assert LAMP in content
    assert "Programmé" in content and "10 janvier 2027" in content
    assert "Résolu" in content       # the benches


def test_body_dossier_in_english(db, built):
    content = text(body_dossier.build(db, built["walk"], "Département", lang="en"))
    assert "For the attention of:" in content
    assert "Département (county council)" in content
    assert ("Walking diagnostic of 26 November 2026 – observations concerning you"
            in content)
    assert "Abribus sans éclairage ni horaires lisibles." in content
    assert "Not within remit – redirected on 20 January 2027 (GUP meeting" in content
    assert LAMP not in content


@pytest.mark.parametrize(("typed", "code"), [
    ("bailleur", "bailleur"), ("Bailleur social", "bailleur"), ("BAILLEUR SOCIAL", "bailleur"),
    ("social landlord", "bailleur"), ("Departement", "departement"),
    ("département (county council)", "departement"), ("Ville", "ville"),
    ("ville (commune)", "ville"), ("GrandAngouleme", "agglomeration"),
])
def test_body_named_any_way(db, typed, code):
    assert body_dossier.body_code(db, typed) == code


def test_unknown_body_lists_the_known_ones(db, built):
    with pytest.raises(UserError) as excinfo:
        body_dossier.build(db, built["walk"], "Mairie annexe", lang="fr")
    message = excinfo.value.message
    assert "Mairie annexe" in message
    for label in ("Ville (commune)", "Bailleur social", "Police municipale"):
        assert label in message
    assert "\n" not in message


def test_body_without_observation(db, built):
    with pytest.raises(UserError) as excinfo:
        body_dossier.build(db, built["walk"], "police municipale", lang="fr")
    assert "Police municipale" in excinfo.value.message


# -- the follow-up table -----------------------------------------------------------------

def test_followup_table(db, built):
    data = followup.build(db, built["council"], lang="fr")
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) > float(box.height)          # A4 landscape
    content = text(data)
    assert "Champ de Manœuvre" in content
    heads = [fr(group) for group in ("In progress", "Resolved", "Closed")]
    starts = [content.index(f"{head} (") for head in heads]
    assert starts == sorted(starts)
    assert f"{heads[0]} (9)" in content and f"{heads[1]} (1)" in content \
        and f"{heads[2]} (1)" in content
    # the lamp: scheduled, last step with its channel and note, next reminder to come
    assert "10/01/2027 · Réponse écrite Remplacement programmé en mars 01/04/2027" in content
    # the hall door: sent, reminder on 15 January, now past: to chase up
    overdue = fr("To chase up")
    assert f"Envoyé au gestionnaire de secteur 15/01/2027 {overdue}" in content
    assert f"01/04/2027 {overdue}" not in content
    rows_overdue = [r for r in followups.search(db, council_id=built["council"]) if r["overdue"]]
    assert len(rows_overdue) == 1
    assert "Bancs remplacés" in content[starts[1]:starts[2]]      # resolved
    assert "Hors compétence – réorienté" in content[starts[2]:]    # closed
    assert "26/11/2026" in content                                 # the walk's date


def test_followup_header_row_on_every_page(db, built, today):
    # Another walk with many follow-ups: the table runs over several pages.
    for n in range(30):
        walks.add_observation(db, built["walk"], bodies=["ville", "bailleur"],
                              theme="proprete", description=f"Dépôt sauvage n° {n} " * 8)
    data = followup.build(db, built["council"], lang="fr")
    pages = pages_text(data)
    assert len(pages) >= 3
    head = fr("Last step")
    for page in pages:
        assert head in page


def test_followup_table_in_english(db, built):
    content = text(followup.build(db, built["council"], lang="en"))
    for label in ("Follow-up of observations", "In progress (9)", "Resolved (1)", "Closed (1)",
                  "Last step", "Next reminder", "To chase up", "Scheduled", "Sent",
                  "Social landlord", "26/11/2026"):
        assert label in content, label


def test_followup_table_of_a_council_without_walks(db):
    [council] = councils.create_qpv_councils(db, ["ma-campagne"])
    content = text(followup.build(db, council, lang="fr"))
    assert fr("No observation has been passed to a body yet.") in content


def test_followup_unknown_council(db):
    with pytest.raises(UserError):
        followup.build(db, "nope")


# -- the files ---------------------------------------------------------------------------

def all_documents(db, ids) -> dict[str, bytes]:
    return {
        "walk": walk.build(db, ids["walk"], lang="fr", include_identifiable=True),
        "walk-en": walk.build(db, ids["walk"], lang="en"),
        "dossier": body_dossier.build(db, ids["walk"], "bailleur", lang="fr"),
        "followup": followup.build(db, ids["council"], lang="fr"),
    }


def test_fonts_embedded(db, built):
    for data in all_documents(db, built).values():
        fonts_embedded(data)


def test_document_properties(db, built):
    info = pypdf.PdfReader(io.BytesIO(walk.build(db, built["walk"], lang="fr"))).metadata
    assert info.title.startswith(fr("Walking diagnostic"))
    assert info.author == "Champ de Manœuvre"


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_finds_nothing_wrong(db, built, tmp_path):
    for name, data in all_documents(db, built).items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, (name, result.stdout, result.stderr)


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="pdfimages is not installed")
def test_pdfimages_sees_the_photos(db, built, tmp_path):
    path = tmp_path / "walk.pdf"
    path.write_bytes(walk.build(db, built["walk"], lang="fr"))
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    assert len(listing) == 8
    assert all(line.split()[2] == "image" and " jpeg " in line for line in listing)
