"""Free-text search: names, aliases, lay words, symptoms, misspellings and location phrases."""

from collections import Counter

import pytest


def muscles_found(client, q, limit=20):
    body = client.get("/api/search", query_string={"q": q, "limit": limit}).get_json()
    seen = []
    for r in body["results"]:
        if "muscle" in r and r["muscle"]["slug"] not in seen:
            seen.append(r["muscle"]["slug"])
    return seen


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("masseter", "masseter"),  # name
        ("Gastrocnemius", "gastrocnemius"),
        ("SCM", "sternocleidomastoid"),  # alias
        ("musculus soleus", "soleus"),  # Latin
        ("iliopsoas", "psoas-major"),  # alias
        ("traps", "upper-trapezius"),  # lay word
        ("infraspinatis", "infraspinatus"),  # misspelling
        ("sternocleidomastiod", "sternocleidomastoid"),
        ("gastrocnemious", "gastrocnemius"),
    ],
)
def test_finds_muscles_by_name_alias_lay_word_and_misspelling(client, q, slug):
    assert slug in muscles_found(client, q)[:3]


def test_misspelling_offers_did_you_mean(client):
    body = client.get("/api/search?q=infraspinatis").get_json()
    assert body["suggestion"] and "infraspinatus" in body["suggestion"].lower()


def test_stemming(client):
    assert "temporalis" in muscles_found(client, "headaches at the temples")


def test_location_phrase_ranks_as_the_body_map(client):
    by_words = muscles_found(client, "pain behind my knee", limit=10)
    by_map = [r["muscle"]["slug"] for r in client.get("/api/locate?region=knee-back&limit=10").get_json()["results"]]
    assert by_words[:5] == by_map[:5]
    assert "gastrocnemius" in by_words[:5]


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("outside of my elbow", "supinator"),
        ("between my shoulder blades", "rhomboid-major"),
        ("my heel hurts", "soleus"),
        ("tennis elbow", "supinator"),
        ("ringing in my ear", "masseter"),
        ("dizzy when I turn my head", "sternocleidomastoid"),
    ],
)
def test_people_words_find_the_muscles(client, q, slug):
    assert slug in muscles_found(client, q, limit=30)[:10]


def test_results_are_highlighted_and_faceted(client):
    body = client.get("/api/search?q=goose bumps").get_json()
    assert any('<b class="match' in r["snippet"] for r in body["results"])
    assert body["facets"]["area"]


def test_area_facet_filters_the_results(client):
    body = client.get("/search.json?q=numb fingers&area=forearm-hand").get_json()
    assert body["results"]
    assert {r["area"] for r in body["results"]} == {"forearm-hand"}


def test_red_flags_come_with_chest_pain(client):
    body = client.get("/api/search?q=chest pain").get_json()
    assert any(f["urgency"] == "emergency" for f in body["red_flags"])


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("extensor carpi ulnaris", "extensor-carpi-ulnaris"),  # plain words, built directly
        ('"extensor carpi" AND ulnaris', "extensor-carpi-ulnaris"),  # query syntax, parsed
        ("gastrocnem*", "gastrocnemius"),  # wildcard
        ('soleus AND ("', "soleus"),  # broken syntax falls back to the words
    ],
)
def test_plain_words_and_query_syntax_both_search(client, q, slug):
    assert muscles_found(client, q)[0] == slug


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("Flexor digiti minimi brevis (hand)", "flexor-digiti-minimi-hand"),
        ("abductor digiti minimi of the foot", "abductor-digiti-minimi-foot"),
        ("Musculus sternocleidomastoideus", "sternocleidomastoid"),
    ],
)
def test_a_muscle_named_outright_comes_before_the_places_in_its_name(client, q, slug):
    body = client.get("/api/search", query_string={"q": q}).get_json()
    assert body["results"][0]["muscle"]["slug"] == slug
    assert [r["slug"] for r in body["results"]].count(slug) == 1


@pytest.mark.parametrize(
    ("q", "slug"),
    [("Flexor hallucis brevis", "flexor-hallucis-brevis"), ("extensor digitorum longus", "extensor-digitorum-longus")],
)
def test_a_muscle_named_outright_lists_its_own_points_not_every_muscle_sharing_a_word(client, q, slug):
    results = client.get("/api/search", query_string={"q": q}).get_json()["results"]
    points = [r for r in results if r["kind"] == "trigger_point"]
    assert points
    assert {r["muscle"]["slug"] for r in points} == {slug}
    assert [r["slug"] for r in results if r["kind"] == "muscle"] == [slug]


# --- how people describe pain: one test per kind, with phrases kept out of the bench sets ---------------------


def locate_found(client, q, limit=20):
    body = client.get("/api/locate", query_string={"q": q, "limit": limit}).get_json()
    return [r["muscle"]["slug"] for r in body["results"]]


def places(client, q):
    return [r["id"] for r in client.get("/api/locate", query_string={"q": q}).get_json()["regions"]]


@pytest.mark.parametrize(
    ("q", "corrected", "region"),
    [
        ("elbo pain", "elbow pain", "elbow"),  # short words: one edit from three letters
        ("ankel ache", "ankle ache", "ankle"),
        ("shn pain", "shin pain", "shin"),
    ],
)
def test_short_misspellings_are_corrected_and_shown(client, q, corrected, region):
    body = client.get("/api/search", query_string={"q": q}).get_json()
    assert body["suggestion"] == corrected
    assert region in places(client, q)


@pytest.mark.parametrize(
    ("q", "region"),
    [("upperarm ache", "arm"), ("fore arm ache", "forearm"), ("arm pit pain", "armpit")],
)
def test_words_typed_together_or_apart_are_split_or_joined(client, q, region):
    assert region in places(client, q)
    assert client.get("/api/search", query_string={"q": q}).get_json()["suggestion"]


@pytest.mark.parametrize(
    ("q", "region"),
    [("nee pain", "knee"), ("wrsit ache", "hand"), ("heal pain", "heel")],  # "nee" and "heal" are English words
)
def test_sound_alike_spellings_find_the_place(client, q, region):
    assert region in places(client, q)


@pytest.mark.parametrize(
    ("q", "slug"),
    [("gastrocnemus", "gastrocnemius"), ("supinater", "supinator"), ("deltiod", "deltoid")],
)
def test_misspelt_muscle_names_come_first_on_both_endpoints(client, q, slug):
    assert muscles_found(client, q)[0] == slug
    assert locate_found(client, q)[0] == slug


@pytest.mark.parametrize(("q", "region"), [("my backside hurts", "buttock"), ("collar bone pain", "chest-front")])
def test_everyday_words_name_their_region(client, q, region):
    assert places(client, q) == [region]


@pytest.mark.parametrize(
    ("q", "regions"),
    [
        ("gastralgia", ["abdomen"]),  # -algia words by their Greek and Latin roots, not by a list of them
        ("pygalgia", ["buttock"]),
        ("cervicobrachialgia", ["neck", "arm"]),
        ("infrapatellar ache", ["kneecap"]),  # a clinical prefix is an aspect of the place after it
    ],
)
def test_clinical_words_are_read_by_their_roots(client, q, regions):
    assert places(client, q) == regions


@pytest.mark.parametrize(
    ("q", "region"),
    [
        ("inside of my ankle", "ankle-inner"),
        ("top of my forearm", "forearm-back"),
        ("underneath my kneecap", "kneecap"),  # no region below the kneecap: the kneecap itself
        ("pain at the back of my left knee", "knee-back"),
    ],
)
def test_a_modifier_resolves_to_the_most_specific_region(client, q, region):
    assert places(client, q) == [region]


def test_every_place_of_a_phrase_is_kept_with_its_own_side(client):
    body = client.get("/api/locate", query_string={"q": "pain in my left knee and down into my right calf"}).get_json()
    assert [(r["id"], r["side"]) for r in body["regions"]] == [("knee", "left"), ("calf", "right")]


def test_a_syndrome_is_read_whole_before_its_body_words(client):
    body = client.get("/api/locate", query_string={"q": "cubital tunnel"}).get_json()
    assert [c["slug"] for c in body["complaints"]] == ["cubital-tunnel-symptoms"]
    assert client.get("/api/locate", query_string={"q": "pes anserine"}).get_json()["complaints"]


@pytest.mark.parametrize(
    ("q", "complaint", "muscle"),
    [
        ("strained calf", "tennis-leg", "gastrocnemius"),  # sudden calf pain: a tear, or a clot
        ("popliteal cyst", "bakers-cyst", "gastrocnemius"),
        ("pulled hip flexor", "hip-flexor-strain", "iliacus"),
    ],
)
def test_injury_names_that_can_hide_a_clot_or_fracture_show_those_warnings_with_their_muscles(
    client, q, complaint, muscle
):
    body = client.get("/api/locate", query_string={"q": q}).get_json()
    assert [c["slug"] for c in body["complaints"]] == [complaint]
    assert muscle in [r["muscle"]["slug"] for r in body["results"]][:5]
    assert {"deep-vein-thrombosis", "fracture-after-fall"} & {f["id"] for f in body["red_flags"]}


@pytest.mark.parametrize("found", [locate_found, muscles_found])
def test_a_named_complaint_lists_the_muscles_the_manuals_link_to_it_even_if_they_refer_elsewhere_too(client, found):
    # The scalenes and pronator teres can mimic carpal tunnel symptoms, though most of their pain lies outside the
    # hand: every muscle the complaint lists comes before the other muscles of the hand.
    linked = {m["slug"] for m in search(client, "carpal tunnel syndrome")["answer"]["muscles"]}
    assert {"anterior-scalene", "middle-scalene", "pronator-teres", "brachialis"} <= linked
    assert set(found(client, "carpal tunnel syndrome")[: len(linked)]) == linked


@pytest.mark.parametrize(
    "q", ["lockjaw", "I can't open my mouth wide", "frozen shoulder", "shin splints", "sciatica", "tennis elbow"]
)
def test_a_complaint_named_without_a_place_lists_its_muscles_first(client, q):
    linked = [m["slug"] for m in search(client, q)["answer"]["muscles"]]
    assert set(linked) <= set(muscles_found(client, q)[:10])


@pytest.mark.parametrize(
    ("q", "regions", "muscle"),
    [
        ("pain when I grip things", ["forearm", "hand"], "extensor-carpi-radialis-brevis"),
        ("it hurts when I chew", ["jaw"], "masseter"),
        ("it hurts to laugh", ["chest-side"], "serratus-anterior"),
        ("sitting is agony, it hurts", ["buttock"], "gluteus-maximus"),
        ("it hurts to roll over in bed", ["hip-side"], "gluteus-medius"),
    ],
)
def test_a_movement_that_hurts_is_read_as_the_place_it_works(client, q, regions, muscle):
    assert places(client, q) == regions
    assert muscle in muscles_found(client, q)[:10]


def test_a_place_named_beside_a_movement_is_where_it_hurts(client):
    assert places(client, "my knee hurts when I sit") == ["knee"]
    assert not places(client, "the cat was sitting on the mat")  # a movement in a phrase not about the body


def test_the_outside_of_the_knee_lists_the_muscle_referring_just_behind_it_after_its_own(client):
    found = muscles_found(client, "pain on the outside of my knee")
    assert found[0] == "vastus-lateralis"
    assert "biceps-femoris" in found[:10]  # its pain lies at the back of the knee, next to the outer side


@pytest.mark.parametrize("q", ["I can't turn my head", "couldn't turn my head", "unable to turn my head"])
def test_every_way_of_saying_cannot_reads_the_complaint(client, q):
    assert search(client, q)["answer"]["slug"] == "stiff-neck"


def test_front_of_the_hip_is_the_groin_crease(client):
    assert places(client, "front of my right hip") == ["groin"]


def test_context_words_rank_within_location(client):
    plain = locate_found(client, "side of my ribs", limit=100)
    running = locate_found(client, "side of my ribs when I run", limit=100)
    assert set(running) == set(plain)  # the same muscles: location decides who is listed
    assert running != plain  # the context reorders them


def test_a_symptom_without_a_place_is_answered_on_both_endpoints(client):
    assert "sternocleidomastoid" in muscles_found(client, "tickly cough")[:3]
    assert "sternocleidomastoid" in locate_found(client, "tickly cough")[:3]


@pytest.mark.parametrize("q", ["best price today", "cheap hotel deals", "the of and", "qwxzv"])
def test_text_about_nothing_in_the_body_finds_no_muscle(client, q):
    assert not muscles_found(client, q)
    assert not locate_found(client, q)


def test_exact_searches_the_words_as_typed(client):
    corrected = client.get("/api/search", query_string={"q": "ankel ache"}).get_json()
    exact = client.get("/api/search", query_string={"q": "ankel ache", "exact": 1}).get_json()
    assert corrected["suggestion"] and corrected["results"]
    assert exact["suggestion"] is None and not exact["results"]


def test_the_search_page_shows_the_correction_and_links_to_the_original(client):
    html = client.get("/search?q=ankel+ache").get_data(as_text=True)
    assert "Showing results for “ankle ache”" in html
    assert "exact=1" in html


@pytest.mark.parametrize(
    "q",
    ["knee*", "?", "kn?e pain", '"unclosed', "((", "AND OR NOT", "title:soleus", "[a TO z]"],
)
def test_syntax_and_wildcards_never_raise(client, q):
    for endpoint in ("/api/search", "/api/locate"):
        assert client.get(endpoint, query_string={"q": q}).status_code == 200


def search(client, q, **args):
    return client.get("/api/search", query_string={"q": q, **args}).get_json()


@pytest.mark.parametrize(
    ("q", "slug", "named"),
    [
        ("my heel hurts on my first steps in the morning", "plantar-fasciitis", False),  # described
        ("tenis elbow", "tennis-elbow", True),  # named, misspelt
        ("shin splits after running", "shin-splints", True),
        ("lockjaw", "restricted-jaw-opening", True),
    ],
)
def test_the_complaint_a_phrase_names_or_describes_comes_first_as_an_answer(client, q, slug, named):
    body = search(client, q)
    assert (body["results"][0]["kind"], body["results"][0]["slug"]) == ("complaint", slug)
    answer = body["answer"]
    assert (answer["slug"], answer["named"]) == (slug, named)
    assert answer["name"] and answer["note"] and answer["url"]
    assert answer["muscles"] and all(m["url"] for m in answer["muscles"])
    assert answer["red_flags"] and all(f["title"] and f["urgency"] for f in answer["red_flags"])
    assert search(client, "neck pain")["answer"] is None  # a place alone describes no complaint


def test_everyday_words_beside_a_place_find_nothing_on_their_own(client):
    body = search(client, "pain in the side of my head when I chew", limit=100)
    assert [r["slug"] for r in body["results"] if r["kind"] == "region"] == ["temple"]
    listed = {r["slug"] for r in body["results"]}
    assert not listed & {"side-stitch", "occipital-neuralgia", "flexor-hallucis-brevis-medial", "hip-side"}
    text_hits = [r for r in body["results"] if "<b class=" in r["snippet"]]
    assert text_hits and all("chew" in r["snippet"].lower() for r in text_hits)
    heel = search(client, "my heel hurts on my first steps in the morning", limit=100)
    assert not [r for r in heel["results"] if "<b class=" in r["snippet"]]  # "steps", "morning": no text hits
    assert search(client, "side")["total"] == search(client, "steps")["total"] == 0


def test_total_is_every_result_and_pages_show_them_all(client):
    q = "tenis elbow"
    whole = search(client, q, limit=100)
    assert whole["total"] == len(whole["results"]) > 10
    assert search(client, q, limit=3)["total"] == whole["total"]
    paged = []
    for offset in range(0, whole["total"], 7):
        page = search(client, q, limit=7, offset=offset)
        assert page["offset"] == offset and page["total"] == whole["total"]
        paged += page["results"]
    assert [(r["kind"], r["slug"]) for r in paged] == [(r["kind"], r["slug"]) for r in whole["results"]]
    assert search(client, q, offset=whole["total"])["results"] == []


def test_area_counts_match_the_list(client):
    for q in ("tenis elbow", "numb fingers", "goose bumps"):
        body = search(client, q, limit=100)
        assert Counter(r["area"] for r in body["results"] if r.get("area")) == Counter(body["facets"]["area"])


def test_the_area_filter_pages_through_that_area(client):
    body = client.get("/search.json?q=numb fingers&area=forearm-hand&limit=100").get_json()
    assert body["results"] and {r["area"] for r in body["results"]} == {"forearm-hand"}
    assert body["total"] == len(body["results"]) == body["facets"]["area"]["forearm-hand"]


@pytest.mark.parametrize(
    "q",
    ["how much does a session cost", "is neck pain treatment covered by my insurance", "login", "book an appointment"],
)
def test_questions_the_site_cannot_answer_list_no_muscle_and_say_so(client, q):
    body = search(client, q)
    assert not [r for r in body["results"] if r.get("muscle")] and body["total"] == 0
    assert "cannot help with prices, insurance" in body["notice"]


def test_a_search_with_no_answer_offers_the_body_map_and_the_closest_words(client):
    body = search(client, "flurbish gromp")
    assert body["results"] == [] and body["notice"] and body["answer"] is None
    assert search(client, "flurbish knew")["closest"] == ["knee"]  # an English word is not corrected, but offered
    assert search(client, "nekc blorf")["notice"] is None  # "nekc" is read as the neck: an answer, no notice
    html = client.get("/search?q=flurbish+gromp").get_data(as_text=True)
    assert "Choose on the body map" in html


def test_the_search_page_pages_and_refuses_a_bad_offset(client):
    html = client.get("/search?q=tenis+elbow&limit=5").get_data(as_text=True)
    assert 'rel="next"' in html and "offset=5" in html and "Results 1–5 of" in html
    html = client.get("/search?q=tenis+elbow&limit=5&offset=5").get_data(as_text=True)
    assert 'rel="prev"' in html and "Results 6–10 of" in html
    assert client.get("/api/search?q=knee&offset=-1").status_code == 400
    assert client.get("/search?q=knee&offset=x").status_code == 400


def test_control_characters_are_refused_never_raised(client):
    for endpoint in ("/api/search", "/api/locate"):
        response = client.get(endpoint, query_string={"q": "a\x00b\x07c"})
        assert response.status_code == 400 and response.is_json


def test_a_muscle_whose_trigger_point_lies_at_the_place_is_listed_for_its_local_pain(client):
    body = client.get("/api/locate", query_string={"q": "a sore armpit"}).get_json()
    why = {r["muscle"]["slug"]: r["why"] for r in body["results"]}
    assert why["latissimus-dorsi"] == "Its trigger point lies in the armpit"
    assert why["serratus-anterior"].startswith("Refers to the armpit")


def test_a_muscle_named_in_a_phrase_about_it_brings_the_muscles_that_hurt_where_it_lies(client):
    found = locate_found(client, "pain in my bicep", limit=10)
    assert found[0] == "biceps-brachii"
    assert {"brachialis", "deltoid"} <= set(found)  # its trigger point there; referring to the front of the arm
    assert places(client, "pain in my bicep") == []  # the muscle is named, not a place read
    assert locate_found(client, "biceps brachii") == ["biceps-brachii"]  # a name alone is the muscle alone


@pytest.mark.parametrize(
    ("q", "region"),
    [
        ("my wrist hurts and the ache comes back whenever I type", "hand"),
        ("a dull ache on the left hand side of my belly", "abdomen"),
    ],
)
def test_story_words_choose_no_place(client, q, region):
    assert places(client, q) == [region]
