"""Spelling: words we do not know, corrected towards the words of our own data.

One :class:`Speller` per data build, over a dictionary of our own vocabulary
(muscle names, aliases and lay names, region and complaint words, symptoms,
activating and perpetuating factors, anatomy), each word weighted by how
often it occurs and by what kind of word it is, so body words win. SymSpell
(``symspellpy``) finds the candidates: one edit for words up to six letters
(and, up to four letters, only towards words of places and muscle names), two
for longer ones, and ``lookup_compound`` splits words typed together ("upperback").
Adjacent words whose concatenation is one of ours are joined ("fore arm").
A word nothing is close to in letters may still sound like a body word: the
NYSIIS phonetic code (``jellyfish``) finds "headache" for "hedake".

A word is only corrected when it is neither ours nor an English word (the word
list symspellpy ships), so "tear" is never read as "ear"; :meth:`Speller.real_word`
corrects English words too, for phrases that say it hurts but name nothing
we know ("heal pain").

Phrases come before words (:meth:`Speller.phrases`): a run of words a few edits
from one of our known phrases (complaint, place and muscle names), with at least
one word as typed, becomes that phrase, English words included ("carpel
tunnel", "shin splits", "tenis elbow"). A correction to an intimate word needs
stronger evidence than one to any other word (``GUARDED_EXTRA_EDITS``), and a
word that is a place only inside a longer phrase ("button", of "belly button")
yields to a whole place that sounds the same ("buttox": buttocks).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from importlib import resources

import jellyfish
from symspellpy import SymSpell
from symspellpy import Verbosity
from symspellpy.editdistance import DistanceAlgorithm
from symspellpy.editdistance import EditDistance

MIN_LENGTH = 3  # shorter words are never corrected
SHORT_LENGTH = 6  # words up to this long may differ from their correction by one edit ("nek", "ankel")
MAX_EDITS = 2  # longer words by two ("sternocleidomastiod")
PREFIX_LENGTH = 7  # SymSpell's index prefix: its default, a good balance of memory and speed
MIN_SPLIT_LENGTH = 2 * MIN_LENGTH  # a word must be this long to be read as two words
BODY_ONLY_LENGTH = 4  # words this short are corrected only to body words: too many other words are one edit away
MAX_SOUND_EDITS = 3  # a word that sounds like a body word may differ from it by this many edits ("toung")
CACHE_SIZE = 10_000  # corrections remembered per speller (queries repeat their words)
# A correction to an intimate word counts this many edits more than it takes: "tenis" is tennis, not penis.
GUARDED_EXTRA_EDITS = 1
PHRASE_WORDS = 4  # the longest run of words compared with the known phrases
ENGLISH_WORDS = "frequency_dictionary_en_82_765.txt"  # shipped with symspellpy
WORD = re.compile(r"[a-z]+")
VOWELS = re.compile(r"[aeiouy]")


@cache
def english_by_frequency() -> tuple[str, ...]:
    """The English words of symspellpy's frequency list, most frequent first."""
    text = (resources.files("symspellpy") / ENGLISH_WORDS).read_text(encoding="utf-8")
    return tuple(line.split(" ", 1)[0] for line in text.splitlines())


@cache
def english_words() -> frozenset[str]:
    """Real English words: never misspellings of ours."""
    return frozenset(english_by_frequency())


@cache
def common_words(count: int) -> frozenset[str]:
    """The ``count`` most frequent English words."""
    return frozenset(english_by_frequency()[:count])


def max_edits(word: str) -> int:
    """How many edits a correction of ``word`` may need: one for short words, two for longer ones."""
    return 1 if len(word) <= SHORT_LENGTH else MAX_EDITS


class Speller:
    """Corrects words towards a weighted vocabulary (word -> weight). Body words (of places and muscle names)
    are preferred over other words of ours at the same distance; real-word corrections only reach places."""

    def __init__(
        self,
        vocabulary: Counter[str],
        places: frozenset[str] = frozenset(),
        names: frozenset[str] = frozenset(),
        phrases: frozenset[str] = frozenset(),
        guarded: frozenset[str] = frozenset(),
        common: frozenset[str] = frozenset(),
    ):
        self.vocabulary = vocabulary
        self.places = places  # the words of place names: the only targets of real-word corrections
        self.body = places | names
        self.guarded = guarded  # intimate words: a correction to one needs stronger evidence
        self.common = common  # words that carry nothing on their own (stop and pain words)
        self.symspell = SymSpell(max_dictionary_edit_distance=MAX_EDITS, prefix_length=PREFIX_LENGTH)
        for word, weight in vocabulary.items():
            self.symspell.create_dictionary_entry(word, weight)
        # Known phrases: those of several words to correct runs of words towards, single words as wholes.
        self.phrase_symspell = SymSpell(max_dictionary_edit_distance=MAX_EDITS, prefix_length=PREFIX_LENGTH)
        self.wholes: set[str] = set()
        for phrase in phrases:
            if " " in phrase:
                self.phrase_symspell.create_dictionary_entry(phrase, 1)
            else:
                self.wholes.add(phrase)
        self.parts = places - self.wholes  # place words that are no place on their own ("button")
        # Words that show a run of words may be a known phrase: its words, except those too common to tell.
        self.anchors = frozenset(w for phrase in phrases if " " in phrase for w in phrase.split()) - common

        self.sounds: dict[str, str] = {}  # phonetic code -> the most weighted body word with it
        self.whole_sounds: dict[str, str] = {}  # Metaphone code -> the most weighted whole place or name with it
        for word in sorted(self.body, key=lambda w: -vocabulary[w]):
            if len(word) >= MIN_LENGTH and WORD.fullmatch(word):
                self.sounds.setdefault(jellyfish.nysiis(word), word)
                if word in self.wholes:
                    self.whole_sounds.setdefault(jellyfish.metaphone(word), word)
        self.distance = EditDistance(DistanceAlgorithm.DAMERAU_OSA)
        self._cache: dict[tuple[str, bool], tuple[str, ...] | None] = {}
        self._phrase_cache: dict[str, str | None] = {}

    def known(self, word: str) -> bool:
        """Whether ``word`` is left as it is: ours, English, too short, or not a plain word."""
        return word in self.vocabulary or len(word) < MIN_LENGTH or not WORD.fullmatch(word) or word in english_words()

    def word(self, word: str) -> tuple[str, ...] | None:
        """The word or words ``word`` most likely meant, or None when it is known or nothing is close."""
        if self.known(word):
            return None
        return self._remembered(word, False)

    def real_word(self, word: str) -> tuple[str, ...] | None:
        """For an English word that is not ours: the place word one edit away it may have meant ("heal")."""
        if word in self.vocabulary or len(word) < MIN_LENGTH or not WORD.fullmatch(word):
            return None
        return self._remembered(word, True)

    def _remembered(self, word: str, real: bool) -> tuple[str, ...] | None:
        key = (word, real)
        if key not in self._cache:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = self._real(word) if real else self._correct(word)
        return self._cache[key]

    def _best(self, word: str, edits: int, allowed=None) -> tuple[int, str] | None:
        """The closest of our words. Among equally close ones: a body word ("rist" is "wrist", not "rest"),
        one that keeps the first letter (people seldom get it wrong: "heek" is "heel", not "cheek"), one that
        keeps the consonants (a vowel written for another sounds alike: "heal" is "heel", not "head"), then
        the most weighted."""
        found = [
            s for s in self.symspell.lookup(word, Verbosity.CLOSEST, edits) if allowed is None or s.term in allowed
        ]
        if not found:
            return None
        consonants = VOWELS.sub("", word)
        best = min(
            found,
            key=lambda s: (
                s.distance + GUARDED_EXTRA_EDITS * (s.term in self.guarded),
                s.term not in self.body,
                s.term[0] != word[0],
                VOWELS.sub("", s.term) != consonants,
                -s.count,
                s.term,
            ),
        )
        return best.distance, best.term

    def _correct(self, word: str) -> tuple[str, ...] | None:
        edits = max_edits(word)
        single = self._best(word, edits, self.body if len(word) <= BODY_ONLY_LENGTH else None)
        if len(word) >= MIN_SPLIT_LENGTH:
            split = self.symspell.lookup_compound(word, edits, ignore_non_words=True)
            parts = tuple(split[0].term.split()) if split else ()
            # lookup_compound counts the split itself as one edit; a short part must be there as typed.
            if (
                len(parts) > 1
                and all(p in self.vocabulary and (p in word or len(p) > SHORT_LENGTH) for p in parts)
                and (single is None or split[0].distance < single[0])
            ):
                return parts
        if single and single[1] not in self.parts:
            return (single[1],)
        # A place word that is no place on its own ("button") yields to a whole place that sounds the same.
        sound = self.whole_sounds.get(jellyfish.metaphone(word))
        if sound and sound[0] == word[0] and self.distance.compare(word, sound, MAX_SOUND_EDITS) >= 0:
            return (sound,)
        if single:
            return (single[1],)
        sound = self.sounds.get(jellyfish.nysiis(word))
        if sound and self.distance.compare(word, sound, MAX_SOUND_EDITS) >= 0:
            return (sound,)
        return None

    def _real(self, word: str) -> tuple[str, ...] | None:
        best = self._best(word, 1, self.places)
        return (best[1],) if best else None

    def closest(self, said: list[str], count: int) -> list[str]:
        """Up to ``count`` place words and whole names closest in spelling to the words said, nearest first:
        what to offer when a search finds nothing."""
        found = []
        for word in said:
            if len(word) < MIN_LENGTH or not WORD.fullmatch(word) or word in self.common:
                continue
            for s in self.symspell.lookup(word, Verbosity.ALL, max_edits(word)):
                if (s.term in self.places or s.term in self.wholes) and s.term != word:
                    found.append((s.distance, -s.count, s.term))
        return list(dict.fromkeys(term for *_, term in sorted(found)))[:count]

    def phrases(self, said: list[str]) -> tuple[list[str], bool]:
        """``said`` with each run of words that is a few edits from one of the known phrases made that phrase,
        longest runs first; and whether anything changed. A run is corrected only where a word of it is as
        typed and every other word is within its own reach (:func:`max_edits`) and no word of the body."""
        out = list(said)
        changed = False
        fixed = [False] * len(out)
        for length in range(min(PHRASE_WORDS, len(out)), 1, -1):
            for start in range(len(out) - length + 1):
                run = out[start : start + length]
                if any(fixed[start : start + length]) or not self._may_be_phrase(run):
                    continue
                if meant := self._phrase(" ".join(run)):
                    out[start : start + length] = meant.split()
                    fixed[start : start + length] = [True] * length
                    changed = True
        return out, changed

    def _may_be_phrase(self, run: list[str]) -> bool:
        """Whether a run of words could be a misspelt known phrase: one of its words is of those phrases and
        another is no word of the body (so may be wrong)."""
        return any(w in self.anchors for w in run) and any(
            w not in self.body and len(w) >= MIN_LENGTH and WORD.fullmatch(w) for w in run
        )

    def _phrase(self, run: str) -> str | None:
        if run not in self._phrase_cache:
            if len(self._phrase_cache) >= CACHE_SIZE:
                self._phrase_cache.clear()
            self._phrase_cache[run] = self._closest_phrase(run)
        return self._phrase_cache[run]

    def _closest_phrase(self, run: str) -> str | None:
        typed = run.split()
        for found in self.phrase_symspell.lookup(run, Verbosity.CLOSEST, MAX_EDITS):
            meant = found.term.split()
            if found.distance == 0 or len(meant) != len(typed):
                continue
            pairs = [(t, m) for t, m in zip(typed, meant, strict=True) if t != m]
            if len(pairs) < len(typed) and all(self._within_reach(t, m) for t, m in pairs):
                return found.term
        return None

    def _within_reach(self, typed: str, meant: str) -> bool:
        """Whether a typed word may be read as ``meant`` inside a known phrase: it is no body word, and close."""
        return (
            typed not in self.body
            and len(typed) >= MIN_LENGTH
            and meant not in self.guarded
            and self.distance.compare(typed, meant, max_edits(typed)) >= 0
        )

    def joined(self, first: str, second: str) -> str | None:
        """Two words typed apart that are one of ours ("fore arm", "knee cap"), or None. Two words of ours
        are joined only into a place word ("knee cap" is the kneecap; "foot ball" stays apart); a common word
        never ("occipital is" is not the occipitalis)."""
        together = first + second
        if first in self.common or second in self.common:
            return None
        if together in self.places or (
            together in self.vocabulary and not (first in self.vocabulary and second in self.vocabulary)
        ):
            return together
        return None
