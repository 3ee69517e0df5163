"""Location ranking and phrase resolution, on a tiny hand-made atlas."""

from collections import Counter

import pytest

from search.locate import Atlas
from search.locate import Complaint
from search.locate import Region
from search.locate import Selection
from search.locate import Zone
from search.locate import _phrase
from search.locate import clinical
from search.locate import rank
from search.locate import resolve

REGIONS = {
    "knee": Region("knee", "Knee", None, True, "front"),
    "knee-back": Region("knee-back", "Back of the knee", "knee", True, "back"),
    "kneecap": Region("kneecap", "Kneecap", "knee", True, "front"),
    "leg": Region("leg", "Lower leg", None, True, "front"),
    "calf": Region("calf", "Calf", "leg", True, "back"),
    "chest": Region("chest", "Chest", None, True, "front"),
}
WORDS = {
    "knee": ["knee"],
    "knee-back": ["back of knee", "behind knee", "posterior knee"],
    "kneecap": ["kneecap", "front of knee"],
    "leg": ["leg"],
    "calf": ["calf"],
    "chest": ["chest"],
}


def atlas(zones, complaints=(), flags=()):
    phrases = [(_phrase(w), "region", r) for r, words in WORDS.items() for w in words]
    phrases += [(_phrase(c.name), "complaint", c.slug) for c in complaints]
    place_words = {w for words in WORDS.values() for phrase in words for w in phrase.split()}
    return Atlas(
        dict(REGIONS),
        {z.muscle: z.muscle.title() for z in zones} | {m: m.title() for c in complaints for m in c.muscles},
        list(zones),
        {c.slug: c for c in complaints},
        list(flags),
        phrases,
        vocabulary=Counter(place_words),
        place_words=frozenset(place_words),
    )


def z(muscle, region, zone="essential", bilateral=False):
    return Zone(muscle, f"{muscle}-1", "TrP1", region, zone, bilateral)


def order(selection, the_atlas):
    return [r.muscle for r in rank(selection, the_atlas)]


def test_essential_ranks_above_spillover():
    a = atlas([z("spilly", "knee-back", "spillover"), z("essy", "knee-back")])
    assert order(Selection((("knee-back", None),)), a) == ["essy", "spilly"]


def test_explaining_several_regions_beats_one():
    a = atlas([z("one", "knee-back"), z("both", "knee-back", "spillover"), z("both", "calf", "spillover")])
    assert order(Selection((("knee-back", None), ("calf", None))), a) == ["both", "one"]


def test_side_is_respected():
    a = atlas([z("m", "knee-back"), z("m", "calf"), z("other", "knee-back"), z("other", "calf", "spillover")])
    split = rank(Selection((("knee-back", "left"), ("calf", "right"))), a)
    same = rank(Selection((("knee-back", "left"), ("calf", "left"))), a)
    m_split = next(r for r in split if r.muscle == "m")
    m_same = next(r for r in same if r.muscle == "m")
    assert m_same.score > m_split.score
    assert m_same.side == "left"


def test_bilateral_points_explain_both_sides():
    a = atlas([z("mid", "knee-back", bilateral=True), z("mid", "calf", bilateral=True)])
    result = rank(Selection((("knee-back", "left"), ("calf", "right"))), a)[0]
    assert len(result.matches) == 2


def test_parent_and_child_are_partly_credited():
    a = atlas([z("exact", "knee"), z("child", "knee-back")])
    results = {r.muscle: r.score for r in rank(Selection((("knee", None),)), a)}
    assert results["exact"] > results["child"] > 0
    child_first = {r.muscle: r.score for r in rank(Selection((("knee-back", None),)), a)}
    assert child_first["child"] > child_first["exact"] > 0


def test_an_aspect_named_alone_lists_the_muscles_of_the_places_other_aspects_after_its_own():
    a = atlas([z("behind", "knee-back", "spillover"), z("front", "kneecap"), z("calf", "calf")])
    assert order(resolve("back of my knee", a), a) == ["behind", "front"]  # the calf is no aspect of the knee
    # Beside another place, only what refers to the places named is listed.
    assert set(order(resolve("back of my knee and calf", a), a)) == {"behind", "calf"}


def test_explanation_names_regions_and_zones():
    a = atlas([z("m", "knee-back"), z("m", "calf", "spillover")])
    result = rank(Selection((("knee-back", None), ("calf", None))), a)[0]
    assert result.explanation(a) == "Refers to the back of the knee (usually) and the calf (sometimes)"


def test_phrases_resolve_to_regions_and_sides():
    a = atlas([])
    assert resolve("pain behind my left knee", a).regions == (("knee-back", "left"),)
    assert resolve("posterior knee pain", a).regions == (("knee-back", None),)
    assert resolve("my right calf and the back of the knee", a).region_ids == ["calf", "knee-back"]  # in the order said


@pytest.mark.parametrize(
    ("q", "places"),
    [
        ("my knee pain is back", ["knee"]),  # it returned
        ("it's back, my knee aches again", ["knee"]),
        ("my knee hurts at the back", ["knee-back"]),
        ("the ache is back of the knee", ["knee-back"]),
    ],
)
def test_back_after_is_at_the_end_says_it_returned(q, places):
    assert resolve(q, atlas([])).region_ids == places


def test_misspelt_place_words_still_resolve():
    assert resolve("pain in my kneecapp", atlas([])).region_ids == ["kneecap"]


def test_specific_region_replaces_its_area():
    assert resolve("knee pain at the back of the knee", atlas([])).region_ids == ["knee-back"]


def test_complaints_add_their_regions_and_muscles():
    runners = Complaint("runners-knee", "runner's knee", "A common name, not a diagnosis.", ("kneecap",), ("quad",))
    a = atlas([z("quad", "kneecap"), z("other", "kneecap")], complaints=[runners])
    selection = resolve("runner's knee", a)
    assert selection.complaints == ("runners-knee",)
    assert selection.region_ids == ["kneecap"]
    assert order(selection, a)[0] == "quad"


@pytest.mark.parametrize(
    "q",
    ["I cannot kneel", "I can't kneel", "I cant kneel", "she couldnt kneel", "not able to kneel", "unable to kneel"],
)
def test_every_way_of_saying_cannot_reads_the_same_complaint(q):
    stiff = Complaint("stiff-knee", "cannot kneel", "A common complaint.", ("kneecap",), ("quad",))
    a = atlas([z("quad", "kneecap")], complaints=[stiff])
    assert resolve(q, a).complaints == ("stiff-knee",)
    assert resolve(q, a).region_ids == ["kneecap"]


def test_context_words_reorder_within_a_place_but_location_dominates():
    a = atlas([z("plain", "knee-back"), z("gardener", "knee-back"), z("spilly", "knee-back", "spillover")])
    a.factors.update({"gardener": ["Long hours of gardening"], "spilly": ["Gardening on the knees"]})
    a.__post_init__()
    ranked = order(resolve("pain behind my knee after gardening", a), a)
    assert ranked[0] == "gardener"  # context breaks the tie between two essential zones
    assert ranked.index("plain") < ranked.index("spilly")  # but never lifts a spillover above an essential zone


def test_a_symptom_without_a_place_ranks_by_symptoms():
    a = atlas([z("cougher", "chest"), z("other", "chest")])
    a.symptoms.update({"cougher": ["A dry, tickly cough."], "other": ["Pain on deep breathing."]})
    a.evidence = frozenset({"cough", "tickli", "breath"})
    a.body_terms = a.evidence | {"dry", "deep", "pain"}
    a.__post_init__()
    selection = resolve("tickly cough", a)
    assert not selection.regions and selection.evidence
    assert order(selection, a) == ["cougher"]


def test_nothing_about_the_body_selects_nothing():
    selection = resolve("cheap flights to spain", atlas([z("m", "knee")]))
    assert not selection.evidence and not selection.regions and not rank(selection, atlas([]))


def test_aspects_refine_the_place_next_to_them():
    a = atlas([])
    assert resolve("behind my knee", a).region_ids == ["knee-back"]  # "behind" falls back to "back"
    assert resolve("underneath my kneecap", a).region_ids == ["kneecap"]  # no region under it: the kneecap
    assert resolve("the back of my leg and my knee", a).region_ids == ["leg", "knee"]  # "and" parts places


def test_a_complaint_name_is_read_before_its_body_words():
    jumper = Complaint("jumpers-knee", "jumper's knee", "A common name, not a diagnosis.", ("kneecap",), ("quad",))
    a = atlas([z("quad", "kneecap")], complaints=[jumper])
    selection = resolve("jumper's knee", a)
    assert selection.complaints == ("jumpers-knee",)
    assert selection.region_ids == ["kneecap"]  # the complaint's place, not the whole knee


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("gonalgia", ("knee",)),
        ("cephalgia", ("head",)),  # the root's last letters merged into the suffix
        ("glossodynia", ("tongue",)),
        ("metatarsalgia", ("forefoot",)),  # the longest root wins over "tars"
        ("cervicobrachialgia", ("neck", "arm")),
        ("retropatellar", ("behind", "patellar")),
        ("hypogastric", ("under", "stomach")),
        ("lumbosacral", ("lumbar", "sacrum")),
        ("gastric", None),  # one root and an ending, no prefix: an ordinary word
        ("nostalgia", None),
    ],
)
def test_clinical_compounds_are_read_by_their_roots(word, parts):
    assert clinical(word, frozenset({"patellar"})) == parts


def test_ties_go_to_pain_centred_in_the_same_area_then_to_the_fuller_pattern():
    a = atlas(
        [
            z("aaa", "knee-back", "spillover"),
            z("aaa", "chest"),  # its essential pain lies elsewhere
            z("zzz", "knee-back", "spillover"),
            z("zzz", "kneecap"),  # its essential pain lies in the knee too
            z("bbb", "knee-back", "spillover"),
            z("ccc", "knee-back", "spillover"),
            z("ccc", "calf", "spillover"),  # a fuller map than bbb's
        ]
    )
    # zzz's essential pain is in the knee area; of the others, the fuller map first (aaa 1.5, ccc 1.0, bbb 0.5).
    assert order(Selection((("knee-back", None),)), a) == ["zzz", "aaa", "ccc", "bbb"]


def test_muscles_the_places_common_complaints_list_first_rank_higher_within_a_zone_kind():
    runners = Complaint("runners-knee", "runner's knee", "A common name.", ("kneecap",), ("listed", "third"))
    a = atlas([z("aaa", "kneecap"), z("listed", "kneecap"), z("spilly", "kneecap", "spillover")], [runners])
    # never above an essential zone; "third", mapped nowhere near, after every muscle referring there
    assert order(Selection((("kneecap", None),)), a) == ["listed", "aaa", "spilly", "third"]


def test_the_first_muscles_a_places_complaints_list_are_listed_even_where_their_map_does_not_reach():
    listed = ("guided", "second", "third", "fourth")
    runners = Complaint("runners-knee", "runner's knee", "A common name.", ("kneecap",), listed)
    a = atlas([z("aaa", "kneecap"), z("guided", "calf"), z("fourth", "calf")], [runners])
    assert order(Selection((("kneecap", None),)), a) == ["aaa", "guided", "second", "third"]  # not the fourth


def test_muscles_scoring_alike_keep_the_order_of_the_places_complaints():
    listed = ("aaa", "bbb", "ccc", "zzz", "yyy")
    runners = Complaint("runners-knee", "runner's knee", "A common name.", ("kneecap",), listed)
    a = atlas([z(m, "kneecap", "spillover") for m in ("yyy", "zzz")], [runners])
    assert order(Selection((("kneecap", None),)), a) == ["zzz", "yyy", "aaa", "bbb", "ccc"]


def test_a_phrase_describes_a_complaint_of_its_place_by_its_other_words():
    heel = Complaint(
        "heel-pain", "First-step heel pain", "A common name.", ("calf",), ("m",), words=("heel pain in the morning",)
    )
    a = atlas([z("m", "calf")], complaints=[heel])
    assert resolve("my calf hurts on my first steps in the morning", a).described == ("heel-pain",)
    assert resolve("my calf hurts", a).described == ()
    assert resolve("my knee hurts on my first steps in the morning", a).described == ()  # not its place
