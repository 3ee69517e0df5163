"""What patients read: plain words at about a grade-6 reading level, measured on every page a patient opens."""

import re
import statistics
from html import unescape

import pytest
import textstat

# Flesch-Kincaid grade of a page's own text. Trigger-point and muscle pages are what patients mostly read;
# the treatment pages also carry the evidence summaries practitioners need, so a page may read a little harder.
MEDIAN_GRADE = 6.5
MAX_GRADE = 9.0
# Clinical words a patient page must say in plain words (the page may add the term after them).
CLINICAL_WORDS = re.compile(r"\b(pleura|greater trochanter|lumbar cushion|thoracic spine|greater occipital nerve)\b|κ")


def page_text(html: str) -> str:
    """The words of a page's main part as a reader meets them: no menus, forms, maps or source lists, nor the
    anatomy folded away for students in anatomists' terms; a heading or list item ends a sentence, as it does
    for the eye."""
    html = re.sub(r'(?s)<details class="(sources|anatomy)">.*?</details>', " ", html)
    html = re.sub(r"(?s)<(script|style|svg|form)\b.*?</\1>", " ", html)
    main = re.search(r"(?s)<main\b.*?</main>", html)
    lines = [line.strip() for line in unescape(re.sub(r"<[^>]+>", "\n", main.group(0))).splitlines()]
    return " ".join(line if line[-1] in ".!?:;" else line + "." for line in lines if line)


@pytest.fixture(scope="module")
def patient_pages(built):
    """The text of every page a patient reads: muscles, trigger points, treatments, safety, a handout, the
    home page and a body-map result."""
    from app import create_app
    from search import live

    app = create_app(dict(built))
    client = app.test_client()
    urls = [
        "/",
        "/locate?region=knee-back",
        "/safety",
        "/plan/handout?point=upper-trapezius-anterior&component=stretch",
    ]
    for muscle in client.get("/api/muscles").get_json()["muscles"]:
        urls.append(f"/muscles/{muscle['slug']}")
        urls += [t["url"] for t in client.get(f"/api/muscles/{muscle['slug']}").get_json()["trigger_points"]]
    urls += [f"/treatments/{t['slug']}" for t in client.get("/api/treatments").get_json()["treatments"]]
    yield {url: page_text(client.get(url).get_data(as_text=True)) for url in urls}
    live.dispose(app)


def test_patient_pages_read_at_about_grade_six(patient_pages):
    grades = {url: textstat.flesch_kincaid_grade(text) for url, text in patient_pages.items()}
    assert len(grades) > 400
    assert statistics.median(grades.values()) <= MEDIAN_GRADE, statistics.median(grades.values())
    hardest = {url: grade for url, grade in grades.items() if grade > MAX_GRADE}
    assert hardest == {}


def test_patient_pages_say_clinical_words_in_plain_words(patient_pages):
    for url, text in patient_pages.items():
        assert not CLINICAL_WORDS.search(text.lower()), (url, CLINICAL_WORDS.search(text.lower()).group(0))


def test_the_grade_measure_tells_plain_words_from_clinical_ones():
    plain = "Press gently on the sore spot for half a minute. Stop if it hurts more."
    clinical = (
        "Paraspinal intramuscular stimulation necessitates ultrasonographic confirmation of interlaminar trajectories."
    )
    assert textstat.flesch_kincaid_grade(plain) <= MEDIAN_GRADE < MAX_GRADE < textstat.flesch_kincaid_grade(clinical)
