"""Free-text search: names, aliases, lay words, symptoms, misspellings and location phrases."""

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
