"""The context reader: ConText's modifiers on the published examples, then on the way people write.

The first examples are the kind NegEx and ConText were built and evaluated on (Chapman et al. 2001;
Harkema et al. 2009): report sentences with a negation, a pseudo-negation, a termination term, a
hypothetical or a historical finding. The rest are lay phrasings written for these tests.
"""

import pytest

from search import context


def modifiers(text: str, finding: str) -> set[str]:
    """The modifiers the reader gives the words of ``finding`` inside ``text``."""
    words = context.split(text)
    texts = [w.text for w in words]
    wanted = finding.split()
    start = next(i for i in range(len(texts)) if texts[i : i + len(wanted)] == wanted)
    span = set(range(start, start + len(wanted)))
    read = context.read(words)
    kinds = {
        "negated": read.negated,
        "question": read.question,
        "past": read.past,
        "lasting": read.lasting,
        "others": read.others,
    }
    return {name for name, positions in kinds.items() if span & positions}


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        # NegEx: a trigger before the finding, within its window; a pseudo-trigger is not one.
        ("The patient denies chest pain.", "chest pain", {"negated"}),
        ("No evidence of pneumonia.", "pneumonia", {"negated"}),
        ("Patient is free of fever.", "fever", {"negated"}),
        ("Pneumonia was ruled out.", "pneumonia", {"negated"}),
        ("There was no increase in the swelling.", "swelling", set()),
        ("Not only chest pain but also nausea.", "chest pain", set()),
        # The classic list: one trigger reaches over the items of a list.
        ("No fever, chills or cough.", "cough", {"negated"}),
        # ConText: a termination term ends the scope.
        ("Denies fever but reports chills.", "chills", set()),
        # ConText: hypothetical and historical findings.
        ("Return if she develops a fever.", "fever", {"question"}),
        ("History of deep vein thrombosis.", "deep vein thrombosis", {"past"}),
    ],
)
def test_the_published_kinds_of_example(text, finding, expected):
    assert modifiers(text, finding) == expected


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        ("stiff neck without any fever", "fever", {"negated"}),
        ("stiff neck without any fever", "stiff neck", set()),
        ("a sore shoulder with no chest pain", "chest pain", {"negated"}),
        ("not my worst headache, just the usual one", "worst headache", {"negated"}),
        ("not my worst headache, just the usual one", "usual one", set()),
        ("I didn't fall but I can't bear weight", "fall", {"negated"}),
        ("I didn't fall but I can't bear weight", "cannot bear weight", set()),
        ("no fever, my neck is stiff", "neck is stiff", set()),
        ("my temperature is fine", "temperature", {"negated"}),
        ("worried it's a blood clot in my calf", "blood clot", {"question"}),
        ("could it be meningitis?", "meningitis", {"question"}),
        ("I had a baby 6 months ago", "baby", {"past"}),
        ("two weeks after giving birth my leg swelled", "giving birth", set()),
        ("Years ago I felt a pop in my back", "pop", {"past"}),
        ("I had a stroke last year and now my arm is weak", "stroke", {"past"}),
        ("I had a stroke last year and now my arm is weak", "arm is weak", set()),
        ("On October 30, 2002, my life changed. He cracked my neck.", "cracked my neck", {"past"}),
        ("a pain I have lived with for years", "pain", {"lasting"}),
        ("it has hurt for 3 days", "hurt", set()),
        # A question in general, its verb before its subject; lay words for worry and for a guess.
        ("can a stiff neck be meningitis", "meningitis", {"question"}),
        ("what does a detached retina look like", "detached retina", {"question"}),
        ("can my arm be numb and my face droop", "face droop", set()),
        ("I'm terrified this swollen calf is a clot", "clot", {"question"}),
        ("I assumed it was a pulled muscle", "pulled muscle", {"question"}),
        ("I assumed it was a pulled muscle but now my leg is swollen", "leg is swollen", set()),
        # A sentence that asks, by its question mark or by its form; medspaCy's hypothetical terms.
        ("sudden chest pain when I run?", "chest pain", {"question"}),
        ("is it normal to have chest pain after a run", "chest pain", {"question"}),
        ("what are the signs of a stroke", "stroke", {"question"}),
        ("how do you tell a pulled muscle from a clot", "clot", {"question"}),
        ("at risk of a clot after the flight", "clot", {"question"}),
        ("Is this normal? My face dropped on one side.", "face dropped", set()),
        # What was feared and then explained.
        ("a searing pain in my chest at the gym. It turned out to be a pulled muscle", "searing pain", {"question"}),
        ("I thought it was indigestion, it turned out to be a heart attack", "heart attack", set()),
        # Who else it is about: a relative's illness is theirs; a witness's account of signs is not history.
        ("my dad had a stroke", "stroke", {"others"}),
        ("heart attacks run in the family", "heart attacks", {"past"}),
        ("my dad's face dropped and he cannot lift his arm", "face dropped", set()),
        # A question about an illness in general.
        ("people always want to know about a heart attack", "heart attack", {"question"}),
    ],
)
def test_lay_phrasings(text, finding, expected):
    assert modifiers(text, finding) == expected


def test_a_trigger_inside_a_finding_is_part_of_it():
    words = context.split("a sore that won't heal")
    inside = frozenset(i for i, w in enumerate(words) if w.text in ("not", "heal"))
    assert not context.read(words, inside).negated


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("my 80-year-old dad", (80,)),
        ("I'm 71 years old", (71,)),
        ("a woman in her late 70s", (78,)),
        ("I'm in my seventies", (75,)),
        ("my gran, in her early eighties", (81,)),
        ("an 8 yo boy", (8,)),
        ("aged 52", (52,)),
        ("I'm 5 weeks pregnant", ()),
        ("I fell 4 years ago", ()),
        ("our three-year-old son has a limp", (3,)),
        ("my 6 year daughter", (6,)),
        ("an 87 yr man with a numb leg", (87,)),
        ("my 10 month old has a fever", (0,)),
        ("a rash for 4 years", ()),
        ("it began when she was 3", (3,)),
        ("when he was four his hip hurt", (4,)),
        ("when she was one of the last to leave", ()),
    ],
)
def test_ages_the_words_give(text, ages):
    assert context.read(context.split(text)).ages == ages


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("at 37w5d my ankles swelled", "at 37 weeks pregnant my ankles swelled"),
        ("I'm about 24 weeks and dizzy", "i m about 24 weeks pregnant and dizzy"),
        ("she is 12 weeks along", "she is 12 weeks pregnant"),
        ("at 6 weeks after surgery", "at 6 weeks after surgery"),  # a span of time, not a pregnancy
        ("I was 2 weeks into the course", "i was 2 weeks into the course"),
        ("sore for 30 weeks", "sore for 30 weeks"),
    ],
)
def test_a_week_count_of_a_pregnancy_reads_as_weeks_pregnant(text, read):
    assert " ".join(w.text for w in context.split(text)) == read


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("we are 22 weeks pregnant with our second", (22,)),
        ("at 31w1d my hands puffed up", (31,)),
        ("I'm nearly 9 weeks and bleeding a little", (9,)),
        ("my knee has hurt for 16 weeks", ()),
        ("the baby is 6 weeks old", ()),
    ],
)
def test_how_many_weeks_pregnant_the_words_say(text, weeks):
    assert context.read(context.split(text)).weeks == weeks


def test_i_am_typed_without_its_apostrophe_is_i_am():
    assert [w.text for w in context.split("im having cramps, ive had them")] == [
        *("i", "am", "having", "cramps", "i", "have", "had", "them"),
    ]


def test_contractions_are_folded():
    assert [w.text for w in context.split("I can't, couldn't, could not, cant, not able to, didn't, won't")] == [
        "i",
        *("cannot", "cannot", "cannot", "cannot", "cannot"),
        "did",
        "not",
        "will",
        "not",
    ]


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        ("the swelling has gone", "swelling", {"negated"}),
        ("the swelling has gone down", "swelling", {"negated"}),
        ("my face has gone droopy on one side", "face", set()),  # what it became, not that it resolved
        ("my toes have gone white", "toes", set()),
    ],
)
def test_has_gone_before_what_it_became_is_a_change_not_a_resolution(text, finding, expected):
    assert modifiers(text, finding) == expected


@pytest.mark.parametrize(
    ("text", "finding", "guessed"),
    [
        ("I think it's a stroke", "stroke", True),
        ("my sister reckons the pain is a slipped disc", "slipped disc", True),
        ("I think my face is drooping", "face is drooping", True),  # the flags count a guess for an illness only
        ("I guess it hurts, but my face is drooping", "face is drooping", False),  # the guess ends with its clause
    ],
)
def test_a_guess_reaches_the_rest_of_its_clause(text, finding, guessed):
    words = context.split(text)
    texts = [w.text for w in words]
    start = next(i for i in range(len(texts)) if texts[i : i + len(finding.split())] == finding.split())
    assert (start in context.read(words).guessed) == guessed
    assert modifiers(text, finding) == set()  # a guess alone makes no sign a question


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I read that numbness in one arm can mean a stroke", "numbness"),  # what someone read
        ("I doubt it is a clot", "clot"),  # medspaCy's possible existence
    ],
)
def test_what_someone_read_or_doubts_is_a_question(text, finding):
    assert modifiers(text, finding) == {"question"}


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I had a blood clot years ago and this morning I cannot breathe", "cannot breathe"),
        ("Back in 2019 I hurt my back. Yesterday my legs went numb", "legs went numb"),
        ("I used to get bad headaches, last night my face drooped", "face drooped"),
        ("I have had back pain for years and since last night I cannot pee", "cannot pee"),
        ("In 2020 I broke my wrist. A few days ago my calf swelled up", "calf swelled up"),
    ],
)
def test_a_recent_day_brings_a_story_of_another_time_to_the_present(text, finding):
    assert modifiers(text, finding) == set()


def test_the_history_before_a_recent_day_stays_history():
    assert modifiers("I had a blood clot years ago and this morning I cannot breathe", "blood clot") == {"past"}


def test_not_until_says_what_followed_happened():
    assert modifiers("It was not until the evening that I felt sick and faint", "faint") == set()
    assert modifiers("I did not feel faint", "faint") == {"negated"}


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        ("my calf swelled up after the flight, it turned out to be a sprain", "calf swelled up", {"question"}),
        ("My calf swelled up after the flight. It turned out to be a sprain", "calf swelled up", {"question"}),
        ("My calf swelled up today. Last year the same thing turned out to be a sprain", "calf swelled up", set()),
        ("My calf swelled up today. I read about clots. My knee turned out to be fine", "calf swelled up", set()),
    ],
)
def test_an_explanation_explains_its_own_story_not_the_rest(text, finding, expected):
    assert modifiers(text, finding) == expected


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        ("when I was 16 my lung collapsed", "lung collapsed", {"past"}),
        ("I was in my twenties when my lung collapsed", "lung collapsed", {"past"}),
        ("as a teen I had a swollen testicle", "swollen testicle", {"past"}),
        ("back in 2012 I had a clot in my leg", "clot", {"past"}),
        ("my back then went numb", "numb", set()),
        ("I was 14 weeks pregnant when the bleeding started", "bleeding", set()),
        ("when I was 12 I broke my hip and it still aches", "aches", set()),
        ("I had a clot back then, since then my calf swells", "calf swells", set()),
        ("I was a little dizzy and my arm went weak", "arm went weak", set()),
        ("this is the first time it happened, my face drooped", "face drooped", set()),
    ],
)
def test_a_time_of_ones_own_past_is_history_until_a_word_reopens_it(text, finding, expected):
    assert modifiers(text, finding) == expected


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        ("Six weeks ago my calf swelled up. The hospital treated it and I am as good as new", "calf swelled", {"past"}),
        ("A few weeks ago my face drooped. It lasted an hour and she has been fine since", "face drooped", set()),
        ("Years ago my calf swelled up. I have been fine ever since. My chest hurts", "chest hurts", set()),
    ],
)
def test_a_story_that_says_it_is_over_is_history_up_to_where_it_says_so(text, finding, expected):
    assert modifiers(text, finding) == expected


@pytest.mark.parametrize(
    ("text", "finding", "expected"),
    [
        ("Grandpa is in his eighties and has had two strokes", "strokes", {"others"}),
        ("my auntie, who is 70, had a heart attack", "heart attack", {"others"}),
        ("my husband was driving when he had a stroke", "stroke", set()),
        ("my dad says I had a stroke", "stroke", set()),
        ("I had surgery for appendicitis when I was ten", "appendicitis", {"others", "past"}),
        ("I need surgery for appendicitis", "appendicitis", set()),
    ],
)
def test_an_illness_a_relative_had_or_one_already_treated_is_not_the_readers_now(text, finding, expected):
    assert modifiers(text, finding) == expected


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("my lad, who's 11, has a limp", (11,)),
        ("my son (4) is limping", (4,)),
        ("our youngest, who is seven, won't walk", (7,)),
        ("my seventy-eight year old dad fell", (78,)),
        ("a 6 wks old baby with a fever", (0,)),
        ("me (34 F) and my knee", (34,)),
        ("my son, 2 days ago, fell", ()),
        ("he's 6 foot tall", ()),
    ],
)
def test_more_ways_of_giving_an_age(text, ages):
    assert context.read(context.split(text)).ages == ages
