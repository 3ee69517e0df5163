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
        self, vocabulary: Counter[str], places: frozenset[str] = frozenset(), names: frozenset[str] = frozenset()
    ):
        self.vocabulary = vocabulary
        self.places = places  # the words of place names: the only targets of real-word corrections
        self.body = places | names
        self.symspell = SymSpell(max_dictionary_edit_distance=MAX_EDITS, prefix_length=PREFIX_LENGTH)
        for word, weight in vocabulary.items():
            self.symspell.create_dictionary_entry(word, weight)
        self.sounds: dict[str, str] = {}  # phonetic code -> the most weighted body word with it
        for word in sorted(self.body, key=lambda w: -vocabulary[w]):
            if len(word) >= MIN_LENGTH and WORD.fullmatch(word):
                self.sounds.setdefault(jellyfish.nysiis(word), word)
        self.distance = EditDistance(DistanceAlgorithm.DAMERAU_OSA)
        self._cache: dict[tuple[str, bool], tuple[str, ...] | None] = {}

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
                s.distance,
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
        if single:
            return (single[1],)
        sound = self.sounds.get(jellyfish.nysiis(word))
        if sound and self.distance.compare(word, sound, MAX_SOUND_EDITS) >= 0:
            return (sound,)
        return None

    def _real(self, word: str) -> tuple[str, ...] | None:
        best = self._best(word, 1, self.places)
        return (best[1],) if best else None

    def joined(self, first: str, second: str) -> str | None:
        """Two words typed apart that are one of ours ("fore arm", "knee cap"), or None. Two words of ours
        are joined only into a place word ("knee cap" is the kneecap; "foot ball" stays apart)."""
        together = first + second
        if together in self.places or (
            together in self.vocabulary and not (first in self.vocabulary and second in self.vocabulary)
        ):
            return together
        return None
