"""The practitioner's session plan and its patient handout."""

import re

import pytest

from tests.conftest import csrf_token

PLAN = (
    "/plan?muscle=upper-trapezius&point=upper-trapezius-anterior"
    "&component=dry_needling&component=chiropractic_adjustment&component=stretch"
)


def test_plan_from_regions_offers_ranked_muscles(client):
    body = client.get("/plan.json?region=neck-back&component=dry_needling").get_json()
    slugs = [m["slug"] for m in body["candidates"]]
    assert "upper-trapezius" in slugs
    assert all(m["points"] for m in body["candidates"])


def test_plan_lists_points_segments_hazards_and_checklist(client):
    client.set_cookie("audience", "practitioner")
    body = client.get(PLAN.replace("/plan?", "/plan.json?")).get_json()
    assert [p["slug"] for p in body["points"]] == ["upper-trapezius-anterior"]
    assert body["segments"] == ["C3", "C4"]
    assert any(h["kind"] == "pneumothorax" for h in body["hazards"])
    assert any("both sides of the thorax" in item for item in body["checklist"])
    assert body["after_care"]["urgency"] == "emergency"


def test_absolute_contraindication_removes_the_component_with_its_reason(client):
    body = plan_json(client, PLAN.split("?", 1)[1] + "&yes=needle-phobia")
    assert body["screen"]["removed"] == ["dry_needling"]
    needling = next(c for c in body["components"] if c["kind"] == "dry_needling")
    assert needling["removed"] and needling["reasons"] == ["A1"]
    assert all("dry_needling" not in [c["kind"] for c in p["components"]] for p in body["points"])
    assert body["hazards"] == []  # nothing is needled any more
    answer = body["screen"]["yes"][0]
    assert answer["consequence"] == "absolute" and "Removes Trigger-point dry needling" in answer["effect"]
    html = client.get(PLAN + "&audience=practitioner&yes=needle-phobia").get_data(as_text=True)
    assert "Do not use Trigger-point dry needling" in html and "Needle phobia" in html


def test_printable_plan_and_json_export(client):
    client.set_cookie("audience", "practitioner")
    html = client.get(PLAN).get_data(as_text=True)
    assert "Needling hazards" in html and "Checklist" in html
    assert "/plan.json?" in html and "/plan/handout?" in html


def test_handout_has_self_care_and_warning_signs_but_no_technique(client):
    body = client.get(PLAN.replace("/plan?", "/plan/handout.json?")).get_json()
    assert body["self_care"] and body["after_care"]["signs"]
    html = client.get(PLAN.replace("/plan?", "/plan/handout?")).get_data(as_text=True).lower()
    for word in ("depth", "needle", "pincer", "palpat", "pneumothorax"):
        assert word not in re.sub(r"<[^>]+>", " ", html).replace("after a treatment", ""), word


def test_saved_plan_link_reopens_the_plan(client):
    client.set_cookie("audience", "practitioner")
    token = csrf_token(client, PLAN)
    query = PLAN.split("?", 1)[1]
    response = client.post("/plan/save", data={"csrf_token": token, "query": query})
    assert response.status_code == 302
    saved = response.headers["Location"]
    assert re.fullmatch(r"/plan/saved/[A-Za-z0-9_-]{20,}", saved)
    assert client.get(saved).headers["Location"].endswith(query)
    assert client.get("/plan/saved/guess").status_code == 404


def plan_json(client, query: str) -> dict:
    """The plan's JSON twin as a practitioner gets it (patients' twin leaves the hazards out)."""
    return client.get("/plan.json?audience=practitioner&" + query).get_json()


def test_a_side_per_point_and_the_old_form_without_one(client):
    body = plan_json(
        client,
        "muscle=upper-trapezius&point=upper-trapezius-anterior:left&point=upper-trapezius-anterior:right"
        "&point=upper-trapezius-posterior&component=stretch",
    )
    sides = {p["slug"]: p["sides"] for p in body["points"]}
    assert sides == {"upper-trapezius-anterior": ["left", "right"], "upper-trapezius-posterior": []}
    # A point alone brings its muscle in.
    assert plan_json(client, "point=masseter-superficial-upper:right")["points"][0]["side"] == "right"


def test_the_body_map_side_reaches_the_plan_the_handout_and_the_export(client):
    client.set_cookie("audience", "practitioner")
    query = "region=neck-back:right&point=upper-trapezius-anterior&component=stretch"
    body = plan_json(client, query)
    assert [(p["slug"], p["side"]) for p in body["points"]] == [("upper-trapezius-anterior", "right")]
    assert body["choice"]["map_sides"]["upper-trapezius"] == "right"
    handout = client.get("/plan/handout.json?" + query).get_json()
    assert handout["self_care"][0]["side"] == "right" and handout["muscles"][0]["side"] == "right"
    assert "Upper trapezius (right side)" in client.get("/plan/handout?" + query).get_data(as_text=True)
    html = client.get("/plan?" + query).get_data(as_text=True)
    assert "(body map: patient's right)" in html
    assert 'value="upper-trapezius-anterior:right"' in html


def test_hazards_stretches_and_self_care_come_from_the_ticked_points_only(client):
    query = (
        "muscle=upper-trapezius&muscle=masseter&muscle=gluteus-medius&point=upper-trapezius-anterior:left"
        "&point=upper-trapezius-posterior:left&component=dry_needling&component=stretch"
    )
    body = plan_json(client, query)
    assert {h["muscle"] for h in body["hazards"]} == {"upper-trapezius"}
    assert [m["slug"] for m in body["muscles"]] == ["upper-trapezius"]
    assert {m["slug"] for m in body["candidates"]} == {"upper-trapezius", "masseter", "gluteus-medius"}
    handout = client.get("/plan/handout.json?" + query).get_json()
    assert [m["name"] for m in handout["muscles"]] == ["Upper trapezius"]
    assert [s["muscle"] for s in handout["self_care"]] == ["Upper trapezius"]  # two points, one entry
    advice = handout["self_care"][0]["advice"]
    assert len(advice) == len(set(advice))


def test_a_relative_contraindication_keeps_the_component_and_marks_the_points(client):
    body = plan_json(client, PLAN.split("?", 1)[1] + "&yes=anticoagulants")
    needling = next(c for c in body["components"] if c["kind"] == "dry_needling")
    assert not needling["removed"]
    point = body["points"][0]
    assert "dry_needling" in [c["kind"] for c in point["components"]]
    assert point["precautions"] == ["P1"] and body["segment_precautions"] == ["P1"]
    answer = body["screen"]["yes"][0]
    assert answer["id"] == "anticoagulants" and answer["ref"] == "P1" and answer["consequence"] == "relative"
    html = client.get(PLAN + "&audience=practitioner&yes=anticoagulants").get_data(as_text=True)
    row = re.search(r"<tr>\s*<th scope=\"row\">Upper trapezius.*?</tr>", html, re.S).group(0)
    assert "P1" in row
    assert "blood thinners" in html


def test_signs_of_cervical_artery_dissection_stop_the_plan_with_a_referral(client):
    client.set_cookie("audience", "practitioner")
    query = (
        "muscle=upper-trapezius&point=upper-trapezius-anterior:left&component=dry_needling"
        "&yes=smt-cervical-artery-signs"
    )
    body = plan_json(client, query)
    assert body["stop"] and body["stop"][0]["red_flag"]["urgency"] == "emergency"
    assert body["points"] == [] and body["components"] == [] and body["hazards"] == []
    assert body["screen"]["yes"][0]["consequence"] == "refer"
    html = client.get("/plan?" + query).get_data(as_text=True)
    assert "No treatment today: refer first" in html and 'role="alert"' in html
    assert "Needling hazards" not in html and "plan-output" not in html
    handout = client.get("/plan/handout?" + query).get_data(as_text=True)
    assert "Please get medical help first" in handout and "Stretches" not in handout


def test_referral_questions_are_asked_whatever_the_components(client):
    client.set_cookie("audience", "practitioner")
    html = client.get("/plan?muscle=upper-trapezius&component=dry_needling").get_data(as_text=True)
    assert 'value="smt-cervical-artery-signs"' in html and 'value="smt-cauda-equina"' in html
    assert 'value="smt-osteoporosis"' not in html  # a manipulation-only question


def test_needling_both_sides_of_the_thorax_removes_needling_over_the_lung(client):
    body = plan_json(
        client,
        "point=upper-trapezius-anterior:left&point=rhomboid-major-upper:right&point=masseter-superficial-upper:left"
        "&component=dry_needling",
    )
    answer = body["screen"]["yes"][0]
    assert answer["id"] == "bilateral-thorax-same-session" and answer["found_in_plan"]
    kinds = {p["slug"]: [c["kind"] for c in p["components"]] for p in body["points"]}
    assert kinds == {
        "upper-trapezius-anterior": [],
        "rhomboid-major-upper": [],
        "masseter-superficial-upper": ["dry_needling"],
    }


def test_the_screen_speaks_of_the_patient_to_practitioners_and_to_the_patient_to_patients(client):
    questions = plan_json(client, "")["questions"]
    assert len(questions) > 40
    for q in questions:
        assert re.search(r"\b(patient|practitioner)\b", q["question"]), q["question"]
        assert not re.search(r"\b(you|your)\b", q["question"], re.I), q["question"]
    patients = client.get("/plan.json").get_json()["questions"]
    about_the_practitioner = {"practitioner-not-qualified", "bilateral-thorax-same-session"}
    assert {q["id"] for q in patients} == {q["id"] for q in questions} - about_the_practitioner
    for q in patients:
        assert re.search(r"\b(you|your)\b", q["question"], re.I), q["question"]
        assert not re.search(r"\b(the patient|practitioner|she|they)\b", q["question"], re.I), q["question"]
        assert "text" not in q


def test_the_muscle_picker_works_without_javascript(client):
    client.set_cookie("audience", "practitioner")
    html = client.get("/plan?muscle=levator-scapulae").get_data(as_text=True)
    areas = re.findall(r'<details class="picker-area" data-area="([a-z-]+)"( open)?>', html)
    assert len(areas) == 10 and ("shoulder", " open") in areas  # the chosen muscle's area starts open
    assert (
        len(
            re.findall(
                r'<input[^>]+name="muscle"[^>]+type="checkbox"|<input[^>]+type="checkbox"[^>]+name="muscle"', html
            )
        )
        > 150
    )
    assert re.search(
        r'<input checked[^>]+value="levator-scapulae"|<input[^>]+value="levator-scapulae"[^>]*checked', html
    )
    assert '<label for="muscle-filter">' in html and "<select" not in html


LUMBAR = (
    "point=lumbar-multifidus-upper:left&component=dry_needling&component=chiropractic_adjustment"
    "&component=manual_pressure&screened=1"
)


@pytest.mark.parametrize(
    ("answer", "flag"),
    [
        ("urgent-medical-care", None),
        ("smt-acute-fracture", "spinal-fracture"),
        ("smt-spinal-infection", "spinal-cancer-or-infection"),
        ("suspected-spinal-malignancy", "spinal-cancer-or-infection"),
        ("aaa-suspected", "abdominal-aortic-aneurysm"),
        ("smt-abdominal-aortic-aneurysm", None),
        ("breathless-after-needling", "pneumothorax"),
        ("neuro-change-after-manipulation", "post-treatment-warning"),
        ("pre-eclampsia-signs", "pre-eclampsia"),
    ],
)
def test_an_answer_that_needs_a_doctor_first_stops_the_whole_plan(client, answer, flag):
    body = plan_json(client, f"{LUMBAR}&yes={answer}")
    assert [s["id"] for s in body["stop"]] == [answer]
    assert body["points"] == [] and body["components"] == [] and body["segments"] == [] and body["hazards"] == []
    stop = body["stop"][0]
    assert (stop["red_flag"] or {}).get("id") == flag
    assert stop["red_flags"] or stop["advice"]
    handout = client.get(f"/plan/handout.json?{LUMBAR}&yes={answer}").get_json()
    assert handout["self_care"] == [] and handout["stop"][0]["advice"]
    assert "Please get medical help first" in client.get(f"/plan/handout?{LUMBAR}&yes={answer}").get_data(as_text=True)


def test_a_worsening_deficit_is_referred_by_the_flag_of_the_place_treated(client):
    low_back = plan_json(client, f"{LUMBAR}&yes=smt-myelopathy-neuro-deficit")["stop"][0]
    neck_query = "point=cervical-multifidus-lower:left&component=chiropractic_adjustment"
    neck = plan_json(client, neck_query + "&yes=smt-myelopathy-neuro-deficit")["stop"][0]
    assert [f["id"] for f in low_back["red_flags"]] == ["progressive-neurological-deficit"]
    assert neck["red_flag"]["id"] == "cervical-myelopathy"
    assert "cauda-equina" not in {f["id"] for f in neck["red_flags"] + low_back["red_flags"]}


def test_a_suspected_clot_takes_needling_and_pressure_off_the_limb_and_refers_today(client):
    query = (
        "point=gastrocnemius-medial-tp1:left&point=upper-trapezius-anterior:left&component=dry_needling"
        "&component=manual_pressure&component=stretch&screened=1&yes=suspected-clot"
    )
    body = plan_json(client, query)
    assert body["stop"] == []
    kinds = {p["slug"]: [c["kind"] for c in p["components"]] for p in body["points"]}
    assert kinds == {
        "gastrocnemius-medial-tp1": ["stretch"],
        "upper-trapezius-anterior": ["manual_pressure", "stretch", "dry_needling"],
    }
    assert [r["red_flag"]["id"] for r in body["refer"]] == ["deep-vein-thrombosis"]
    html = client.get("/plan?audience=practitioner&" + query).get_data(as_text=True)
    assert "Refer today." in html and "See a doctor today" in html
    handout = client.get("/plan/handout.json?" + query).get_json()
    assert handout["refer"][0]["advice"].startswith("See a doctor today")
    # No self-care or stretch for the calf until the clot has been ruled out; the neck's stay.
    assert [m["muscle"] for m in handout["self_care"]] == ["Upper trapezius"]
    assert [m["name"] for m in handout["muscles"]] == ["Upper trapezius"]
    assert "See a doctor today" in client.get("/plan/handout?" + query).get_data(as_text=True)


def test_a_screen_never_gone_through_says_so(client):
    query = "point=upper-trapezius-anterior:left&component=stretch"
    not_done = client.get("/plan?audience=practitioner&" + query).get_data(as_text=True)
    assert "Screening not done" in not_done and "No “yes” answers" not in not_done
    assert plan_json(client, query)["screen"]["done"] is False
    done = client.get("/plan?audience=practitioner&screened=1&" + query).get_data(as_text=True)
    assert "No “yes” answers" in done and "Screening not done" not in done
    assert 'name="screened" type="hidden" value="1"' in done  # the form sends it with every screen


def test_the_printed_plan_names_every_ticked_component(client):
    html = client.get(PLAN + "&audience=practitioner&screened=1").get_data(as_text=True)
    line = re.search(r'<p class="plan-components">(.*?)</p>', html, re.S).group(1)
    for name in ("Trigger-point dry needling", "Stretch", "Chiropractic adjustment of related segments (C3, C4)"):
        assert name in line, name
    cranial = "point=masseter-deep:left&component=chiropractic_adjustment&screened=1&audience=practitioner"
    html = client.get("/plan?" + cranial).get_data(as_text=True)
    line = re.search(r'<p class="plan-components">(.*?)</p>', html, re.S)
    assert "Chiropractic adjustment of related segments (no spinal segment supplies" in line.group(1)


def test_patients_read_a_stopped_plan_in_their_own_words(client):
    body = client.get(f"/plan.json?{LUMBAR}&yes=smt-cauda-equina").get_json()
    stop = body["stop"][0]
    assert stop["question"].startswith("Do you have numbness") and "text" not in stop
    assert set(stop["red_flag"]) <= {"id", "title", "urgency", "advice", "signs", "normal", "sources"}
