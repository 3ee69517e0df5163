"""The closed word lists search reads phrases with.

English stop words and the domain's pain words (words that carry no place,
muscle or symptom); the small closed set of place modifiers ("aspects") in
lay and clinical words, and the sides; and the Greek and Latin roots and
prefixes that clinical words such as "tarsalgia" or "retropatellar" are built
from. Nothing here names a phrase or a region id: the roots lead to ordinary
body words, which the region vocabulary in refdata/regions.yaml resolves.
"""

from __future__ import annotations

# The Snowball (and NLTK) English stop list: words that never say where or what.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while
    of at by for with about against between into through during before after above below to from up down in out
    on off over under again further then once here there when where why how all any both each few more most
    other some such no nor not only own same so than too very s t can will just don should now d ll m o re ve y
    ain aren couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan shouldn wasn weren won wouldn
    """.split()
)

# Words that say it hurts but not where or how: on their own they are no evidence of anything.
PAIN_WORDS = frozenset(
    {"pain", "pains", "painful", "ache", "aches", "aching", "achy", "hurt", "hurts", "hurting", "sore", "soreness"}
)

# Place modifiers, lay and clinical, folded to one aspect each. "Side" is the lay word for lateral
# ("side of the neck"); "low" and "under" mean the lower part ("low back", "under the foot").
ASPECTS = {
    "front": ("front", "anterior", "ventral"),
    "back": ("back", "posterior", "rear", "dorsal", "dorsum"),
    "outer": ("outer", "outside", "lateral", "external", "side", "sides"),
    "inner": ("inner", "inside", "medial", "internal"),
    "top": ("top", "upper", "superior"),
    "bottom": ("bottom", "lower", "low", "under", "underneath", "underside", "beneath", "below", "inferior"),
    "behind": ("behind",),
    "between": ("between",),
    "around": ("around", "round", "surrounding"),
}
ASPECT_OF = {word: aspect for aspect, words in ASPECTS.items() for word in words}
# Aspect words that are also the noun another aspect qualifies: after an aspect word they are that noun, not an
# aspect of their own ("the inner side of my knee" is the inner knee, not the inner and outer knee).
ASPECT_NOUNS = frozenset({"side", "sides"})
# When no region is named by a part and this aspect, try the part with the fallback aspect.
ASPECT_FALLBACK = {"behind": "back"}
SIDE_WORDS = {"left": "left", "right": "right"}
# Story words that are no place. "Back" right after one of these verbs means again or return, not the back
# ("it comes back soon after", "went back to work"); "hand" between a side word and "side" is part of the side
# ("the right hand side of my belly").
BACK_ADVERB_VERBS = frozenset(
    "come comes came coming go goes went going gone get gets got getting bring brings brought "
    "turn turns turned turning look looks looked looking".split()
)
SIDE_HAND = ("hand", "side")
# "Back" after "it's", "is" or "was" at the end of what is said or before a stop word other than "of" ("it's back,
# same ache", "the pain is back again"), says it returned; before any other word it is the back ("it's back pain",
# "is back of the knee").
BACK_RETURNED_AFTER = frozenset(("it", "its", "is", "was", "are", "were"))

# Every way of saying one cannot do something, read as the one word the vocabulary uses ("I can't turn my head",
# "cant turn my head", "not able to lift my arm": "cannot turn my head"), by location search and by the reader
# of context alike: part of a finding ("can't breathe"), never a negation.
CANNOT = "cannot"
CANNOT_PHRASES = ("can't", "cant", "can not", "couldn't", "couldnt", "could not", "unable to", "not able to")

# Movements that hurt, and the everyday body words of the place each works ("when I chew": the jaw; "pain
# when I grip": the forearm and hand). Read only when a phrase that says it hurts names no place itself. Not
# coughing or sneezing: they strain the whole trunk, and the muscles' symptoms name them.
MOVEMENT_PLACES = {
    **dict.fromkeys(("chew", "chewing", "bite", "biting", "yawn", "yawning", "clench", "clenching"), ("jaw",)),
    **dict.fromkeys(
        ("grip", "gripping", "grasp", "grasping", "squeeze", "squeezing", "pinch", "pinching"), ("forearm", "hand")
    ),
    **dict.fromkeys(("typing", "mousing", "writing", "texting"), ("forearm", "hand")),
    **dict.fromkeys(("throw", "throwing", "reach", "reaching", "overhead"), ("shoulder",)),
    **dict.fromkeys(("sit", "sitting"), ("buttock",)),
    **dict.fromkeys(("kneel", "kneeling", "squat", "squatting", "stairs", "upstairs", "downstairs"), ("knee",)),
    **dict.fromkeys(("breathe", "breathing", "laugh", "laughing"), ("side ribs",)),
    **dict.fromkeys(("bend", "bending", "stoop", "stooping"), ("lumbar",)),
    **dict.fromkeys(("roll", "rolling"), ("side of hip",)),
}

# Words that say a place is meant, not a muscle or a complaint ("the deltoid AREA", "the temporal REGION"):
# kept, so such a place is not read as the muscle named like it, but never content on their own.
PLACE_NOUNS = frozenset({"area", "region"})

# Words of questions the site cannot answer (prices, insurance, bookings, accounts): a phrase with one of
# them lists no muscle and says what the site can answer.
OFF_TOPIC_WORDS = frozenset(
    {
        "appointment",
        "appointments",
        "billing",
        "book",
        "booking",
        "cost",
        "costs",
        "coupon",
        "discount",
        "fee",
        "fees",
        "insurance",
        "insured",
        "insurer",
        "login",
        "password",
        "payment",
        "price",
        "prices",
        "pricing",
        "refund",
        "signup",
        "subscription",
    }
)

# Intimate words: a misspelling is read as one of them only on stronger evidence than as any other word.
INTIMATE_WORDS = frozenset(
    {
        "anal",
        "anus",
        "genitals",
        "penile",
        "penis",
        "perineal",
        "perineum",
        "rectal",
        "rectum",
        "scrotal",
        "scrotum",
        "testicle",
        "testicles",
        "testicular",
        "vagina",
        "vaginal",
        "vulva",
        "vulvar",
    }
)

# Words that join the words of one place or name and mean nothing on their own ("the back OF MY knee",
# "soleus MUSCLE", "my elbow, ON the inside", "the front PORTION of").
FILLER = frozenset(
    {
        "the",
        "my",
        "your",
        "his",
        "her",
        "their",
        "a",
        "an",
        "of",
        "on",
        "at",
        "part",
        "portion",
        "aspect",
        "surface",
        "bit",
        "muscle",
        "muscles",
    }
)

# Clinical words: pain in a place ("gon-algia", "gloss-odynia").
PAIN_SUFFIXES = ("odynia", "dynia", "algia")
# Clinical prefixes and the aspect word each puts before the place after it ("retro-patellar": behind the
# kneecap); words that are never places on their own.
PREFIX_ASPECTS = {
    "peri": "around",
    "retro": "behind",
    "pre": "anterior",
    "ante": "anterior",
    "sub": "under",
    "infra": "under",
    "hypo": "under",
    "supra": "upper",
    "epi": "upper",
    "inter": "between",
}
# Clinical adjective endings, after a prefix or between two roots ("hypo-gastr-ic", "lumb-o-sacr-al").
ADJECTIVE_ENDINGS = ("eal", "ial", "al", "ar", "ic", "ac")
LINKING_VOWELS = "oia"
# Greek and Latin roots of body parts, each to an everyday body word of the region vocabulary.
ROOTS = {
    "cephal": "head",
    "crani": "head",
    "prosop": "face",
    "ophthalm": "eye",
    "ocul": "eye",
    "ot": "ear",
    "odont": "teeth",
    "dent": "teeth",
    "gloss": "tongue",
    "lingu": "tongue",
    "pharyng": "throat",
    "laryng": "throat",
    "maxill": "cheek",
    "mandibul": "jaw",
    "cervic": "neck",
    "trachel": "neck",
    "nuch": "neck",
    "om": "shoulder",
    "scapul": "scapula",
    "brachi": "arm",
    "cubit": "elbow",
    "carp": "wrist",
    "chir": "hand",
    "cheir": "hand",
    "dactyl": "fingers",
    "thorac": "chest",
    "pector": "chest",
    "cost": "ribs",
    "stern": "breastbone",
    "mast": "breast",
    "mamm": "breast",
    "gastr": "stomach",
    "abdomin": "abdomen",
    "dors": "back",
    "rachi": "spine",
    "spin": "spine",
    "lumb": "lumbar",
    "sacr": "sacrum",
    "coccy": "tailbone",
    "coccyg": "tailbone",
    "cox": "hip",
    "pyg": "buttock",
    "glute": "buttock",
    "pub": "groin",
    "inguin": "groin",
    "proct": "rectum",
    "perine": "perineum",
    "mer": "thigh",
    "femor": "thigh",
    "gon": "knee",
    "genu": "knee",
    "patell": "kneecap",
    "crur": "leg",
    "tibi": "shin",
    "sur": "calf",
    "achill": "achilles",
    "tal": "heel",
    "calcan": "heel",
    "tars": "foot",
    "metatars": "forefoot",
    "pod": "foot",
    "ped": "foot",
    "plant": "sole",
    "hallu": "hallux",
}
