"""What surrounds a finding in a phrase: whether it is denied, only wondered about, in the past or
long-standing; and the ages the phrase gives.

The algorithm is ConText (Harkema H, Dowling JN, Thornblade T, Chapman WW. ConText: an algorithm for
determining negation, experiencer, and temporal status from clinical reports. J Biomed Inform.
2009;42(5):839-851), itself NegEx grown to more modifiers (Chapman WW, Bridewell W, Hanbury P, Cooper
GF, Buchanan BG. A simple algorithm for identifying negated findings and diseases in discharge
summaries. J Biomed Inform. 2001;34(5):301-310): a trigger term opens a scope over the words after it
(or, for a backward trigger, before it) that ends at the end of the clause, at a termination term
("but", "however") or after a fixed window; a finding inside the scope takes the trigger's modifier.
A pseudo-trigger ("not only", "no doubt") looks like a trigger and is not one; so is a trigger word
inside a finding's own words ("won't heal", "can't breathe", "not passing urine"): the reader of
findings passes their positions as ``protected``.

The trigger terms are those of NegEx and ConText (as medspaCy ships them, resources/en/context_rules.json:
"no", "not", "without", "denies", "free of", "ruled out"; "if", "should there", "worried about",
"concerned about", "might be"; "history", "past history"), with lay ones added for how people write
about themselves: "never had", "nothing like", "is fine", "went away" (negation); "what if", "could it
be", "worried it's", "googled", "convinced", "read that", a question in general ("can a", "what does")
(hypothetical or worry), and a guess ("I think it's", "reckons"), which makes only an illness it names a
worry; "years ago", "last year", "used to", "when I was a teenager", an earlier year such as "2013"
(history); "for years", "ever since" (long-standing).

Each modifier's scope follows ConText: negation reaches forward over at most :data:`MAX_SCOPE` words of
the clause (NegEx's fixed window; a comma that starts a new clause ends it, one inside a list does not),
worry over the rest of the clause;
history reaches both ways over the whole sentence, since people put the time before or after what
happened ("Years ago I felt a pop", "the stroke I had last year"), as does long-standing; a story dated to
an earlier year is in the past to its end. Each ends where a word brings the story to the present or a recent
day ("now", "this morning", "yesterday", "last night": :data:`RECENT_TIMES`). Who the
phrase is about (experiencer) does not change whether a finding counts: a parent describing a child's
signs describes signs; the ages the phrase gives ("my 80-year-old dad", "I'm 71") are returned so the
rules can know the population.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from functools import lru_cache

from search import words as vocab
from search.locate import words as plain_words

MAX_SCOPE = 6  # words a negation or worry trigger reaches forward within its clause
RECENT_DAYS = 42  # "N weeks ago" within six weeks is recent (the weeks after a birth, a fall, an operation)
DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3650}
NUMBERS = {
    **{w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())},
    "a": 1,
    "an": 1,
    "couple": 2,
    "few": 3,
    "several": 4,
    "many": 5,
}
OLDEST = 110  # larger numbers are not ages

# Contractions folded before words are read: "didn't" and "didnt" say "did not"; every way of saying one
# cannot do something (search.words.CANNOT_PHRASES) is "cannot".
NOT = re.compile(r"\b(do|does|did|is|was|are|were|have|has|had|would|should|must|need)(?:n't|nt)\b")
WONT = re.compile(r"\b(won't|wont|ain't|aint)\b")
# "I'm" and "I've" typed without the apostrophe ("im having", "ive had"), which would read as other words.
LAY_CONTRACTIONS = ((re.compile(r"\bim\b"), "i am"), (re.compile(r"\bive\b"), "i have"))
# A pregnancy given as its week count, as maternity notes and women write it ("38w2d", "at 34 weeks", "I'm about 15
# weeks", "20 weeks along"; NHS, https://www.nhs.uk/pregnancy/week-by-week/): read as "N weeks pregnant", within
# the weeks a pregnancy lasts (GESTATION_WEEKS), and not a span of time ("at 6 weeks after surgery", "20 weeks ago").
GESTATION_WEEKS = range(4, 43)
GESTATION = (
    re.compile(r"\b(\d{1,2}) ?w ?\+? ?\d ?d\b"),
    re.compile(
        r"\b(?:at|i am|i'm|i was|she is|she's|she was)(?: about| nearly| almost| around| over)?"
        r" (\d{1,2}) ?(?:weeks?|wks?)(?: along| gone)?\b(?! (?:ago|old|later|after|post|since|before|into|of|pregnant))"
    ),
    re.compile(r"\b(\d{1,2}) ?(?:weeks?|wks?)(?: along| gone)\b"),
)
WEEKS_PREGNANT = re.compile(r"\b(\d{1,2}) weeks pregnant\b")  # as read: how far along a pregnancy is
CLAUSE = re.compile(r"[;:\u2013\u2014\u2026]|\s-\s|\.\.+")  # ends a clause, and the scope of negation and worry
# A comma ends a clause when a new one starts after it ("no fever, my neck is stiff"), not inside a list
# ("no fever, rash or stiff neck", NegEx's classic example).
CLAUSE_STARTERS = frozenset(
    (
        *("i", "my", "me", "he", "she", "it", "its", "we", "they", "you", "his", "her", "our", "their", "the"),
        *("this", "that", "there", "then", "but", "so", "which", "who", "now", "after", "when", "while"),
        *("although", "though", "because", "since", "if", "as", "just"),
    )
)
SENTENCE = re.compile(r"(?<![\d.])[.!?](?![\d.])[!?]*|\n")  # not "3.5", not "..." (a pause)

NEGATION = (
    *("no", "not", "without", "never", "nothing", "none", "nor", "neither", "denies", "deny", "denied"),
    *("free of", "absence of", "lack of", "negative for", "ruled out", "rule out", "no sign of", "no signs of"),
    *("no evidence of", "rather than", "nothing like", "zero"),
)
NEGATION_BACKWARD = (
    *("ruled out", "was negative", "came back negative", "came back normal", "came back clear", "unlikely"),
    *("is normal", "are normal", "was normal", "is fine", "are fine", "was fine", "is good", "are good"),
    *("is ok", "are ok", "went away", "has gone", "have gone", "gone now", "no longer", "resolved"),
    *("cleared up", "settled down", "right as rain", "back to normal", "fine now", "better now"),
)
# "Has gone" says a finding resolved ("the swelling has gone", "it has gone down"), but before a word saying what
# it became, that it changed ("my face has gone droopy", "my leg has gone numb"): a pseudo-trigger then.
GONE = ("has gone", "have gone")
GONE_RESOLVED = frozenset(("away", "down", "now", "completely", "off", "for", "since", "after"))
PSEUDO = (
    *("not only", "not just", "no doubt", "not sure", "not certain", "no idea", "not know", "no change"),
    *("not necessarily", "no increase", "not always", "no matter", "not even", "not too", "no wonder", "never before"),
    *("not until", "no sooner"),  # "it was not until I felt sick that...": what follows happened
)
QUESTION = (
    *("if", "what if", "in case", "should i", "should there", "could it be", "could this be", "could i have"),
    *("could be", "might be", "might have", "may be", "maybe", "possible", "possibly", "worried", "worry"),
    *("worrying", "worries", "scared", "afraid", "fear", "feared", "fearing", "concerned", "convinced"),
    *("paranoid", "wonder", "wondering", "is it", "is this", "am i having", "do i have", "rule out", "check for"),
    *("what are the signs", "how do i know", "how can i tell", "google", "googled", "googling", "read about"),
    *("reading about", "everyone knows", "equals", "lest", "suspect", "suspected", "probably", "think i"),
    *("convince", "convinces", "convincing", "could have sworn", "i thought", "thought it was", "thought i had"),
    *("tell me about", "something about", "information about", "what is", "what causes", "can you explain"),
    # A question about something in general, its verb before its subject ("can a stiff neck be meningitis",
    # "what does a detached retina look like"); not one about "my" or "I", which may say what is happening.
    *("can a", "can an", "can it", "can this", "can that", "can you", "could a", "could an", "could it"),
    *("could that", "would a", "does a", "does an", "does it", "does this", "what does", "what do", "how does"),
    # Lay words for worry and for a guess, beside "worried", "scared" and "convinced".
    *("terrified", "anxious", "anxiety", "panicking", "panicked", "freaking out", "freaked out", "hypochondriac"),
    *("sure it was", "sure i had", "certain i had", "assumed", "assuming", "imagining", "looked up", "searched"),
    *("dr google", "could mean", "might mean", "does this mean", "does it mean", "just in case", "in case it is"),
    # The rest of medspaCy's hypothetical and possible-existence terms (resources/en/context_rules.json).
    *("should", "concern for", "concerning for", "risk of", "risks of", "suspicious for", "suggestive of"),
    *("worrisome for", "evaluate for", "test for", "tested for", "checked for", "to exclude", "likely", "question of"),
    *(
        "mean",
        "means",
        "want to know",
        "wanting to know",
        "know about",
        "learn about",
    ),  # "does numbness in my arm mean a stroke": what the words would mean is a guess
    # What someone read or heard ("I read that a sudden headache can mean a bleed"), not what is happening; and
    # medspaCy's "doubt" (possible existence).
    *("read that", "read online", "heard that", "saw online", "the internet says", "doubt"),
)
QUESTION_BACKWARD = ("is what i'm worried about", "worries me", "scares me", "or not")
# A guess at what it is ("I think it's a stroke", "my mum reckons it's appendicitis", "I have a feeling it's my
# appendix", "could my stomach pain be appendicitis"): it makes an illness named after it in its clause only
# wondered about, never the signs it says ("I think my face is drooping" is a drooping face). ConText's
# possible existence (Harkema et al. 2009; medspaCy's "might be", "probably", "likely") as people guess aloud.
GUESS = (
    *("think", "thinks", "thinking", "reckon", "reckons", "reckoned", "guess", "guessing", "bet", "believe"),
    *("believes", "sure", "certain", "a feeling", "gut feeling", "could", "might", "may", "whether"),
)
# What a story feared and then found was something else ("a searing pain in my chest during a bench press; it
# turned out to be a pulled muscle"): what its sentence said before the explanation was a worry, not a finding now,
# and so was the sentence before when the explanation opens its own ("...in my chest. It turned out to be a pulled
# muscle"), with no more than EXPLAINED_OPENERS before it. Not the rest of a long story ("My chest feels crushed.
# Last month the same pain turned out to be reflux" says nothing of today's pain).
EXPLAINED = (
    *("turned out to be", "turned out it was", "turns out it was", "turns out to be", "it turned out"),
    *("was just a", "was only a", "was nothing serious", "it was nothing", "nothing serious"),
)
EXPLAINED_OPENERS = frozenset(("it", "that", "this", "which", "but", "and", "then", "so"))
# A sentence that asks is a question as a whole, with or without its question mark: one that opens with a
# verb before its subject ("is it normal to...", "should I be worried...", "can a pulled muscle cause...") or
# with a question word ("what are the signs of...", "how do I know if..."). Not "when I walk", "had a fall" or
# "was sick all night", which say what happened; nor, without its question mark, one about "my" or "I" ("can my
# arm be numb and my face droop"), which may say what is happening ("should I", "do I have" are triggers).
ASKING_VERBS = frozenset(("is", "are", "am", "can", "could", "would", "should", "will", "do", "does", "did", "may"))
SUBJECTS = frozenset(
    (
        *("you", "it", "this", "that", "these", "those", "there", "a", "an", "the", "your", "he", "she", "his"),
        *("her", "we", "they", "someone", "somebody", "anyone", "people", "stress", "anxiety"),
    )
)
QUESTION_WORDS = frozenset(("what", "how", "why", "which", "who", "whats", "hows"))
# Who else it is about (ConText's experiencer): a relative's illness ("my dad had a stroke", "heart attacks run
# in the family") is their history, a risk at most, never the reader's emergency now. The relatives are
# medspaCy's family terms with their lay forms; what they had is an illness named, not signs a witness describes
# ("my dad's face dropped").
RELATIVES = frozenset(
    (
        *("mother", "mom", "mum", "mam", "father", "dad", "parent", "parents", "brother", "sister", "sibling"),
        *("grandmother", "grandfather", "grandma", "grandpa", "gran", "granny", "nan", "grandad", "grandparents"),
        *("aunt", "auntie", "uncle", "cousin", "son", "daughter", "husband", "wife", "partner", "friend", "family"),
        *("moms", "mums", "dads", "fathers", "mothers", "brothers", "sisters", "grandparent", "relatives", "relative"),
    )
)
HAD = ("had", "has had", "have had", "died of", "died from", "passed away from", "suffered", "was diagnosed with")
FAMILY_HISTORY = (
    *("family history", "runs in the family", "runs in my family", "run in the family", "run in my family"),
    *("in the family", "in my family", "died of", "died from", "passed away from"),
)
PAST = (
    *("years ago", "decades ago", "long ago", "a while ago", "a while back", "years back", "last year"),
    *("last summer", "last winter", "last spring", "last autumn", "used to", "in the past", "previously"),
    *("when i was a child", "when i was a kid", "when i was a teenager", "when i was younger", "as a child"),
    *("as a kid", "as a teenager", "history of", "past history", "the year before", "once had", "the last time"),
)
LASTING = (
    *("for years", "for decades", "for months", "over the years", "ever since", "all my life", "my whole life"),
    *("for as long as i can remember", "always had", "on and off for", "lived with", "for a couple of years"),
)
# A comparison says how something felt, not what happened ("it felt like someone was poking a needle into my
# neck", "as if I had been kicked"): a treatment or an injury it names was not one. It reaches over the rest of the
# clause.
SIMILES = (
    *("felt like", "feels like", "feel like", "feeling like", "like someone", "like something", "like being"),
    *("as if", "as though"),
)
MONTHS = "january february march april may june july august september october november december".split()
# Terms that end a scope early: ConText's termination terms ("but", "however", "apart from", "which"), and
# words that start talk of another time ("now", "this time") or the real complaint ("just the usual one").
TERMINATORS = frozenset(
    (
        *("but", "however", "although", "though", "except", "apart from", "aside from", "which", "yet", "still"),
        *("just", "because", "whereas", "instead", "now", "then", "today", "currently", "this time", "again"),
        *("recently", "lately", "these days", "since"),
    )
)
# Words that bring a story of another time to the present or to a recent day ("I had a clot years ago and this
# morning I can't breathe"): they end a scope of history, of a long-standing complaint or of a dated story.
RECENT_TIMES = (
    *("yesterday", "this morning", "this afternoon", "this evening", "tonight", "last night", "overnight"),
    *("this week", "last week", "the other day", "earlier today", "hours ago", "minutes ago", "days ago"),
)
# Words that reopen a story of the past ("I broke it years ago and it still hurts", "since then I get pins and
# needles").
REOPENING = ("still", "since then", "ever since then", "these days", "nowadays")
TIME_TERMINATORS = frozenset(
    ("but", "however", "now", "today", "currently", "this time", "again", "recently", *RECENT_TIMES, *REOPENING)
)
AGO = re.compile(r"\b(\d+|[a-z]+) (day|week|month|year|decade)s? ago\b")
FOR_LONG = re.compile(r"\bfor (?:the (?:last|past) )?(\d+|[a-z]+) (day|week|month|year|decade)s?\b")
YEAR = re.compile(r"\b(19|20)\d\d\b")
LAST_MONTH = re.compile(rf"\blast (?:{'|'.join(MONTHS)})\b")
# Ages as the words give them ("my 80 year old dad", "a 7 yo", "I'm 71", "aged 52", "in her late 70s", "in my
# seventies"), in figures or words, with a hyphen or without ("a two-year-old", "my 4 year son", "an 87 yr man"); a
# baby's in months, weeks or days is under one ("a 13 month old": 0). Not the units of "eighty two" (SPOKEN_AGE).
AGE_NUMBER = r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
PERSONS = "old|son|daughter|boy|girl|man|woman|male|female|child|kid|baby|grandson|granddaughter"
AGE = re.compile(rf"\b(?<!ty ){AGE_NUMBER} (?:years?|yrs?) (?:{PERSONS})\b|\b(\d{{1,3}}) ?(?:yo|y o)\b")
INFANT = re.compile(rf"\b{AGE_NUMBER} (?:months?|weeks?|days?) old\b")
# The age a story gives someone ("when he was two", "when she was 3"), in figures or words.
STORY_AGE = re.compile(rf"\bwhen (?:he|she) was {AGE_NUMBER}\b(?! (?:weeks?|days?|months?|hours?|minutes?|of|times))")
STATED_AGE = re.compile(r"\b(?:aged?|i m|i am|she is|he is|turned) (\d{1,3})\b(?! (?:weeks?|days?|months?|kg|times))")
DECADE_WORDS = "teens twenties thirties forties fifties sixties seventies eighties nineties"
DECADES = {w: n for n, w in enumerate(DECADE_WORDS.split(), 1)}
DECADE = re.compile(rf"\bin (?:my|his|her|their) (early |mid |late )?(?:(\d)0s|({'|'.join(DECADES)}))\b")
DECADE_PART = {"early ": 1, "mid ": 5, "late ": 8, "": 5}

# --- When and who, read further (ConText's historical and experiencer modifiers, Harkema et al. 2009) -------------
# A time of one's own past told by age or stage of life ("when I was 14", "she was a toddler", "I was in my twenties
# when", "as a teen", "growing up") or by a time long gone ("back in May", "back in 2015", "back in my twenties",
# "back then"): lay forms of ConText's historical triggers ("history", "in the past", "previous"); history over its
# sentence, as PAST. Not "when I was 14 weeks" (a pregnancy), "I was a little dizzy" (how much), nor "my back, then..."
# (a back is a place).
LATER_UNITS = "weeks?|days?|months?|hours?|minutes?|miles?|km|pregnant|times?|foot|feet|ft|cm|kg|stone|degrees|bpm"
AGE_WORDS = {
    **{w: n for n, w in enumerate("one two three four five six seven eight nine ten".split(), 1)},
    **{w: n for n, w in enumerate("eleven twelve thirteen fourteen fifteen sixteen seventeen".split(), 11)},
    **{"eighteen": 18, "nineteen": 19},
    **{w: n * 10 for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)},
}
# An age in figures or words up to 99 ("9", "fourteen", "eighty two": spoken tens and units), longest first.
UNITS = "one|two|three|four|five|six|seven|eight|nine"
AGE_SAID = rf"(\d{{1,3}}|(?:{'|'.join(sorted(AGE_WORDS, key=len, reverse=True))})(?: (?:{UNITS})\b)?)"
LIFE_STAGE = r"(?:teens|twenties|thirties|forties|fifties|\d0s|youth)"
WHEN_YOUNG = re.compile(
    r"\b(?:i|he|she|we|they) (?:was|were) (?:only |just |about |around |still )?(?:(?:an? )?(?:child|kid|teen"
    rf"|teenager|baby|toddler|boy|girl|student|youngster)|{AGE_SAID}(?: years?(?: old)?)?(?! (?:{LATER_UNITS})\b)"
    rf"|little|young|younger|small|at school|in school|at university|in (?:my|his|her|our) {LIFE_STAGE})\b"
)
BACK_THEN = re.compile(
    rf"\b(?:back in (?:(?:19|20)\d\d|the day|those days|school|college|university"
    rf"|(?:my|his|her|our) {LIFE_STAGE})|(?<!my )(?<!his )(?<!her )(?<!your )(?<!the )(?<!lower )(?<!upper )"
    r"back (?:then|when))\b"
)
# Not "the first time it happened" nor "the one time": "this is the first time it happened" is now.
EARLIER_LIFE = ("as a teen", "as a baby", "as a toddler", "as a youngster", "as a student", "in my youth", "growing up")
# A story that says it is over ("and have been fine ever since", "as good as new", "fully recovered") is history
# from the sentence of its time to the sentence that says so: what it tells ended. Sentences after the one that says
# so are read anew (a new complaint may follow), and a word that brings the story to the present ends it
# (TIME_TERMINATORS). A time of the last weeks ("one month ago", "a couple of weeks ago", "back in May", AGO within
# RECENT_DAYS, LAST_TIME) counts only when someone saw to it (CARED: "I was told", "diagnosed", "urgent care"): a
# spell that passed by itself and was never seen to is what a transient ischaemic attack is, still a warning (NICE
# CG68/NG128: a suspected TIA is assessed by a specialist, within 7 days when it was over a week ago).
RESOLVED = (
    *("fine ever since", "been fine since", "fine since then", "been fine ever since", "as good as new"),
    *("fully recovered", "full recovery", "made a recovery", "recovered well", "no problems since"),
    *("no trouble since", "no issues since", "never had it again", "never happened again", "never came back"),
)
CARED = (
    *("was told", "were told", "told me", "diagnosed", "urgent care", "a e", "emergency room", "the er", "hospital"),
    *("treated", "surgery", "operation", "antibiotics", "x ray", "scan", "discharged", "the doctor said"),
)
LAST_TIME = re.compile(rf"\b(?:last month|(?:back )?in (?:{'|'.join(MONTHS)}))\b")
# What was operated on or treated is history, for an illness named ("I had surgery for a torsion", "she was treated
# for a clot"): ConText's historical "status post" in lay words, forward over the clause as negation reaches.
TREATED = re.compile(
    r"\b(?:(?:had|got|after|following) (?:an? |my |his |her )?(?:emergency |urgent |keyhole )?"
    r"(?:surgery|operation|op|treatment|repair)(?: on (?:my|his|her) \w+)? for|(?:was|were|got|been) "
    r"(?:operated on|treated) for)\b"
)
# Who had what a relative had: the nearest person named before it in its sentence ("Dad is in his 70s and had three
# strokes", "my grandad, who is 90, has had two strokes", "relatives of mine have suffered heart attacks"); not when
# "I" or "he" stands nearer ("my dad says I had a stroke", "my husband was at work when he had a stroke" tells what
# happened).
SPEAKERS = frozenset(("i", "we", "me", "he", "she", "they"))
# A person given an age in a child's way ("my boy, who's 9", "my daughter (6)") or a writer's ("I (28 F)", "my
# husband 45M"); a baby's weeks written short ("3 wks old").
PERSON_AGE = re.compile(
    rf"\b(?:who(?: is)?|he|she|son|daughter|boy|girl|child|kid|baby|toddler|grandson|granddaughter|one) {AGE_SAID}\b"
    rf"(?! (?:{LATER_UNITS}|years?|yrs?|kg|lbs?|stone|foot|feet|ft|cm|inches|am|pm|o clock)\b)"
)
WRITER_AGE = re.compile(r"\b(?:i|me|husband|wife|partner|boyfriend|girlfriend|bf|gf|mum|mom|dad) (\d{2}) ?[mf]\b")
SPOKEN_AGE = re.compile(rf"\b{AGE_SAID} (?:years?|yrs?) (?:old|{PERSONS})\b")
BABY_AGE = re.compile(r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven) (?:wks?|mos?|mths?) old\b")


@dataclass(frozen=True)
class Word:
    """One word of a phrase (lower case, contractions folded) and where it stands."""

    text: str
    clause: int
    sentence: int
    asks: bool = False  # its sentence ends with a question mark


@dataclass(frozen=True)
class Context:
    """The words of a phrase by modifier (positions in :func:`split`'s list), and the ages it gives."""

    negated: frozenset[int] = frozenset()
    question: frozenset[int] = frozenset()  # hypothetical, wondered or worried about
    past: frozenset[int] = frozenset()  # history: not a current finding
    lasting: frozenset[int] = frozenset()  # there for months or years: not a sudden change
    ages: tuple[int, ...] = ()
    others: frozenset[int] = frozenset()  # what a relative had: their history, for an illness named
    compared: frozenset[int] = frozenset()  # inside a comparison ("felt like a needle"): how it felt, not an event
    guessed: frozenset[int] = frozenset()  # after a guess ("I think it's"): an illness named here is wondered about
    weeks: tuple[int, ...] = ()  # how many weeks pregnant the words say


def fold(text: str) -> str:
    """``text`` in lower case with its contractions folded: "didn't" is "did not", "can't" is "cannot"."""
    text = text.lower().replace("\u2019", "'")
    for phrase in vocab.CANNOT_PHRASES:
        text = re.sub(rf"\b{re.escape(phrase)}\b", vocab.CANNOT, text)
    text = WONT.sub("will not", text)
    for pattern, replacement in LAY_CONTRACTIONS:
        text = pattern.sub(replacement, text)
    for pattern in GESTATION:
        text = pattern.sub(_weeks_pregnant, text)
    return NOT.sub(r"\1 not", text)


def _weeks_pregnant(m: re.Match) -> str:
    """A week count of a pregnancy as "N weeks pregnant"; any other number of weeks as written."""
    if int(m.group(1)) not in GESTATION_WEEKS:
        return m.group()
    return m.group()[: m.start(1) - m.start()] + f"{m.group(1)} weeks pregnant"


@lru_cache(maxsize=4096)
def split(text: str) -> tuple[Word, ...]:
    """The words of ``text`` (as :func:`search.locate.words` reads them, after :func:`fold`), each with
    its clause and sentence."""
    found = []
    clause = 0
    for sentence, (part, asks) in enumerate(_sentences(fold(text))):
        for piece in CLAUSE.split(part):
            for i, listed in enumerate(piece.split(",")):
                said = plain_words(listed)
                if i and said and said[0] in CLAUSE_STARTERS:
                    clause += 1
                found += [Word(w, clause, sentence, asks) for w in said]
            clause += 1
    return tuple(found)


def _sentences(text: str) -> list[tuple[str, bool]]:
    """The sentences of ``text``, each with whether it ends with a question mark."""
    found, start = [], 0
    for m in SENTENCE.finditer(text):
        found.append((text[start : m.start()], "?" in m.group()))
        start = m.end()
    return [*found, (text[start:], False)]


def read(words: tuple[Word, ...], protected: frozenset[int] = frozenset()) -> Context:
    """The modifiers of every word of a phrase; ``protected`` words (inside a finding) trigger nothing."""
    texts = [w.text for w in words]
    joined = " ".join(texts)
    found = Found.of(texts)
    pseudo = {i for term in PSEUDO for start in found.at(term) for i in range(start, start + len(_parts(term)))}
    pseudo |= {i for term in GONE for start in found.at(term) if _became(words, start + 2) for i in (start, start + 1)}
    quiet = protected | pseudo
    negated = _scoped(words, found, NEGATION, quiet, forward=True)
    negated |= _scoped(words, found, NEGATION_BACKWARD, quiet, forward=False)
    question = _scoped(words, found, QUESTION, quiet, forward=True, reach=len(words))
    question |= _scoped(words, found, QUESTION_BACKWARD, quiet, forward=False)
    question |= _asking(words)
    question |= _explained(words, found, quiet)
    past_starts = [s for term in PAST for s in found.at(term)] + _time_starts(texts, joined, AGO, past=True)
    past_starts += _positions(texts, joined, LAST_MONTH)
    past_starts += _earlier(found, joined)
    resolved = _resolved(words, found, joined, past_starts)
    past_starts += [s for term in FAMILY_HISTORY for s in found.at(term) if s not in protected]
    past = _sentence_scope(words, past_starts) | _dated(words) | resolved
    had = [s for term in HAD for s in found.at(term) if _relative_before(words, texts, s)]
    others = {i for s in had for i in range(s, len(words)) if _same_clause_before_end(words, texts, s, i)}
    others |= _treated(words, texts, joined)
    lasting_starts = [s for term in LASTING for s in found.at(term)] + _time_starts(texts, joined, FOR_LONG)
    return Context(
        frozenset(negated),
        frozenset(question),
        frozenset(past),
        frozenset(_sentence_scope(words, lasting_starts)),
        _ages(joined),
        frozenset(others),
        frozenset(_scoped(words, found, SIMILES, quiet, forward=True, reach=len(words))),
        frozenset(_scoped(words, found, GUESS, quiet, forward=True, reach=len(words))),
        tuple(sorted({int(w) for w in WEEKS_PREGNANT.findall(joined)})),
    )


def _became(words: tuple[Word, ...], i: int) -> bool:
    """Whether the word at ``i``, just after "has gone", says what something became ("gone numb"), in its clause."""
    return i < len(words) and words[i].clause == words[i - 1].clause and words[i].text not in GONE_RESOLVED


def _explained(words: tuple[Word, ...], found: Found, quiet: frozenset[int]) -> set[int]:
    """Every position an explanation explains away: its sentence before it, and the sentence before that when the
    explanation opens its own."""
    inside: set[int] = set()
    for start in (s for term in EXPLAINED for s in found.at(term) if s not in quiet):
        first = _sentence_start(words, start)
        if first and all(words[j].text in EXPLAINED_OPENERS for j in range(first, start)):
            first = _sentence_start(words, first - 1)
        inside.update(range(first, start))
    return inside


def _sentence_start(words: tuple[Word, ...], i: int) -> int:
    """Where the sentence of position ``i`` starts."""
    while i and words[i - 1].sentence == words[i].sentence:
        i -= 1
    return i


def _asking(words: tuple[Word, ...]) -> set[int]:
    """Every position of a sentence that asks: one ending with a question mark, or opening with a verb before
    its subject or with a question word."""
    inside: set[int] = set()
    for i, w in enumerate(words):
        if i and words[i - 1].sentence == w.sentence:
            continue
        sentence = [j for j in range(i, len(words)) if words[j].sentence == w.sentence]
        opening = [words[j].text for j in sentence[:2]] + [""]
        verb_first = opening[0] in ASKING_VERBS and opening[1] in SUBJECTS
        if w.asks or verb_first or (opening[0] in QUESTION_WORDS and opening[1]):
            inside.update(sentence)
    return inside


def _same_clause_before_end(words, texts: list[str], start: int, i: int) -> bool:
    """Whether position ``i`` is in the clause of ``start`` with no terminator between them."""
    return words[i].clause == words[start].clause and not any(
        _ends_here(texts, j, True, TERMINATORS) for j in range(start + 1, i + 1)
    )


@cache
def _parts(term: str) -> list[str]:
    return term.split()


@dataclass(frozen=True)
class Found:
    """A phrase's words and where each stands, to find trigger terms quickly."""

    texts: list[str]
    index: dict[str, list[int]]

    @classmethod
    def of(cls, texts: list[str]) -> Found:
        """The finder for a phrase's words."""
        index: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            index.setdefault(text, []).append(i)
        return cls(texts, index)

    def at(self, term: str) -> list[int]:
        """Where the words of ``term`` stand together."""
        parts = _parts(term)
        return [i for i in self.index.get(parts[0], ()) if self.texts[i : i + len(parts)] == parts]


def _positions(texts: list[str], joined: str, pattern: re.Pattern) -> list[int]:
    """The word positions where ``pattern`` matches ``joined`` (the words joined by single spaces)."""
    return [
        joined[: m.start()].count(" ")
        for m in pattern.finditer(joined)
        if m.start() == 0 or joined[m.start() - 1] == " "
    ]


def _time_starts(texts: list[str], joined: str, pattern: re.Pattern, past: bool = False) -> list[int]:
    """Where a span of time longer than RECENT_DAYS is said ("five months ago", "for 2 years")."""
    starts = []
    for m in pattern.finditer(joined):
        amount = int(m.group(1)) if m.group(1).isdigit() else NUMBERS.get(m.group(1))
        if amount is not None and amount * DAYS[m.group(2)] > RECENT_DAYS:
            starts.append(joined[: m.start()].count(" "))
        elif amount is None and past and m.group(2) in ("year", "decade"):
            starts.append(joined[: m.start()].count(" "))  # "some years ago"
    return starts


def _scoped(words, found: Found, terms, quiet, forward: bool, reach: int = MAX_SCOPE) -> set[int]:
    """The positions inside the scope of any of ``terms`` (not where a quiet word stands): the rest of the
    clause in the trigger's direction, up to a terminator, at most ``reach`` words."""
    texts = found.texts
    inside: set[int] = set()
    for term in terms:
        size = len(_parts(term))
        for start in found.at(term):
            span = range(start, start + size)
            if any(i in quiet for i in span):
                continue
            step, i = (1, start + size) if forward else (-1, start - 1)
            reached = 0
            while 0 <= i < len(words) and words[i].clause == words[start].clause and reached < reach:
                if _ends_here(texts, i, forward, TERMINATORS):
                    break
                inside.add(i)
                reached += 1
                i += step
    return inside


def _ends_here(texts: list[str], i: int, forward: bool, terminators: frozenset[str]) -> bool:
    """Whether a termination term starts (forward) or ends (backward) at position ``i``."""
    for term in terminators:
        parts = term.split()
        start = i if forward else i - len(parts) + 1
        if start >= 0 and texts[start : start + len(parts)] == parts:
            return True
    return False


def _sentence_scope(words, starts: list[int]) -> set[int]:
    """Every position of the sentence around each start, up to a word that starts talk of another time."""
    texts = [w.text for w in words]
    inside: set[int] = set()
    for start in starts:
        for step in (1, -1):
            i = start
            while 0 <= i < len(words) and words[i].sentence == words[start].sentence:
                if i != start and _ends_here(texts, i, step == 1, TIME_TERMINATORS):
                    break
                inside.add(i)
                i += step
    return inside


def _dated(words) -> set[int]:
    """A story dated to an earlier year ("On October 30, 2002, my life changed") is in the past from the sentence
    of the date to its end, across sentences, until a word starts talk of another time ("now")."""
    texts = [w.text for w in words]
    inside: set[int] = set()
    for start, text in enumerate(texts):
        if YEAR.fullmatch(text) and int(text) < date.today().year:
            i = _sentence_start(words, start)
            while i < len(words) and not (i > start and _ends_here(texts, i, True, TIME_TERMINATORS)):
                inside.add(i)
                i += 1
    return inside


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word]


def _ages(joined: str) -> tuple[int, ...]:
    """The ages a phrase gives (its words joined by single spaces)."""
    found = [_number(a or b) for a, b in AGE.findall(joined)] + [int(a) for a in STATED_AGE.findall(joined)]
    found += [_number(a) for a in STORY_AGE.findall(joined)] + [0 for _ in INFANT.findall(joined)]
    found += [int(tens or DECADES[word]) * 10 + DECADE_PART[part] for part, tens, word in DECADE.findall(joined)]
    found += [_said_age(a) for pattern in (PERSON_AGE, SPOKEN_AGE) for a in pattern.findall(joined)]
    found += [int(a) for a in WRITER_AGE.findall(joined)] + [0 for _ in BABY_AGE.findall(joined)]
    return tuple(sorted({age for age in found if 0 <= age <= OLDEST}))


def _said_age(said: str) -> int:
    """An age in figures or words ("9", "fourteen", "eighty two")."""
    if said.isdigit():
        return int(said)
    return sum(AGE_WORDS.get(w, 0) for w in said.split())


def _earlier(found: Found, joined: str) -> list[int]:
    """Where a time of one's own past is said: an age or stage of life, or a time long gone (WHEN_YOUNG,
    BACK_THEN, EARLIER_LIFE)."""
    starts = [s for term in EARLIER_LIFE for s in found.at(term)]
    return starts + _positions(found.texts, joined, WHEN_YOUNG) + _positions(found.texts, joined, BACK_THEN)


def _resolved(words: tuple[Word, ...], found: Found, joined: str, starts: list[int]) -> set[int]:
    """Every position of a story that says it is over (RESOLVED): from the sentence of its time (one of the last
    weeks when someone saw to it, CARED) to the sentence that says so, up to a word that brings it to the present."""
    ends = [s for term in RESOLVED for s in found.at(term)]
    if not ends:
        return set()
    last = words[max(ends)].sentence
    times = starts + [i for i, text in enumerate(found.texts) if YEAR.fullmatch(text) and int(text) < date.today().year]
    if any(found.at(term) for term in CARED):
        times += _positions(found.texts, joined, AGO) + _positions(found.texts, joined, LAST_TIME)
    inside: set[int] = set()
    for start in (t for t in times if words[t].sentence <= last):
        i = _sentence_start(words, start)
        while i < len(words) and words[i].sentence <= last:
            if i > start and _ends_here(found.texts, i, True, TIME_TERMINATORS):
                break
            inside.add(i)
            i += 1
    return inside


def _relative_before(words: tuple[Word, ...], texts: list[str], at: int) -> bool:
    """Whether the nearest person named before position ``at`` in its sentence is a relative (not a SPEAKER)."""
    i = at - 1
    while i >= 0 and words[i].sentence == words[at].sentence:
        if texts[i] in SPEAKERS:
            return False
        if texts[i] in RELATIVES:
            return True
        i -= 1
    return False


def _treated(words: tuple[Word, ...], texts: list[str], joined: str) -> set[int]:
    """What was operated on or treated (TREATED): forward over the rest of its clause, at most MAX_SCOPE words."""
    inside: set[int] = set()
    for m in TREATED.finditer(joined):
        start = joined[: m.end()].count(" ") + 1
        i = start
        while i < len(words) and words[i].clause == words[start - 1].clause and i - start < MAX_SCOPE:
            if _ends_here(texts, i, True, TERMINATORS):
                break
            inside.add(i)
            i += 1
    return inside
