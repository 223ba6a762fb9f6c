"""Word forms for search in Kazakh, Russian and English: every word of a record and of a query is
reduced to its *keys*, and a query word finds a record when one of its keys is among the record's.

- Russian: the dictionary forms (lemmas) of pymorphy3's OpenCorpora dictionary ("паводки", "паводков"
  → "паводок"); a word the dictionary does not know gives no guessed lemma (its guesses for Kazakh or
  foreign words are noise).
- English: the Snowball (Porter 2) stem ("floods", "flooding" → "flood").
- Kazakh: no maintained stemmer is published in the package registries (``kazstem`` needs an HFST
  toolchain and resources fetched outside them), so :func:`kazakh_stem` strips the agglutinative
  endings itself: case, possessive, plural and a few predicative ones ("тасқынның", "тасқындары",
  "тасқындарының" → "тасқын").

Every word also keeps itself (lower-cased, "ё" as "е") as a key, so a search for a number or a code
finds it as written. The keys are plain words (letters and digits, no underscore): PostgreSQL's
``simple`` text search configuration splits them no further."""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

WORD = re.compile(r"[^\W_]+", re.UNICODE)
LATIN = re.compile(r"[a-z]")
CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")

#: Kazakh endings, stripped from the end of a word, longest first, as long as at least
#: ``KAZAKH_MIN_STEM`` letters remain. Endings a bare stem also often ends with ("н", "ын", "ін", "м")
#: are left out so that a stem and its inflected forms reduce to the same key.
KAZAKH_ENDINGS: tuple[str, ...] = tuple(
    sorted(
        {
            # plural
            *("лар", "лер", "дар", "дер", "тар", "тер"),
            # genitive
            *("ның", "нің", "дың", "дің", "тың", "тің"),
            # dative
            *("ға", "ге", "қа", "ке", "на", "не", "а", "е"),
            # accusative
            *("ны", "ні", "ды", "ді", "ты", "ті"),
            # locative
            *("да", "де", "та", "те", "нда", "нде"),
            # ablative
            *("дан", "ден", "тан", "тен", "нан", "нен"),
            # instrumental
            *("мен", "бен", "пен", "менен", "бенен", "пенен"),
            # possessive (my, your, his/her/its, our, your polite)
            *("ым", "ім", "ың", "ің", "ң", "ы", "і", "сы", "сі", "ымыз", "іміз", "мыз", "міз"),
            *("ыңыз", "іңіз", "ңыз", "ңіз"),
            # relative ("-дағы": that is in), adjectival and similative
            *("дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі", "ша", "ше"),
        },
        key=len,
        reverse=True,
    )
)
KAZAKH_MIN_STEM = 3
KAZAKH_MAX_STRIPS = 5
VOWELS = frozenset("аәеиоөуұүыіэюя")
VOICELESS = frozenset("пфктсшщхцчқһ")
CONSONANTS = frozenset("бвгғджзйклмнңпрстфхһцчшщ")
VOICED = CONSONANTS - VOICELESS
#: The sounds an ending may follow (Kazakh chooses the form of an ending by the sound before it: the
#: accusative is "-ны" after a vowel, "-ды" after a voiced and "-ты" after a voiceless consonant). An
#: ending not listed may follow any. Without them "тасқыны" (its flood) would read as "тасқ" + "-ны".
FOLLOWS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("ны", "ні", "сы", "сі", "ң"), VOWELS),
    **dict.fromkeys(("ның", "нің"), VOWELS | frozenset("мнң")),
    **dict.fromkeys(("нан", "нен"), VOWELS | frozenset("мнң")),
    **dict.fromkeys(("ды", "ді", "дың", "дің", "дар", "дер"), VOICED),
    **dict.fromkeys(("ға", "ге", "да", "де", "дан", "ден", "дағы", "дегі"), VOWELS | VOICED),
    **dict.fromkeys(("ты", "ті", "тың", "тің", "тар", "тер", "та", "те", "тан", "тен", "тағы", "тегі"), VOICELESS),
    **dict.fromkeys(("қа", "ке"), VOICELESS),
    **dict.fromkeys(("лар", "лер"), VOWELS | frozenset("руй")),
    **dict.fromkeys(("ы", "і", "ым", "ім", "ың", "ің", "ымыз", "іміз", "ыңыз", "іңіз"), CONSONANTS),
    **dict.fromkeys(("а", "е"), frozenset("мң")),
}
#: A final voiced consonant is the voiceless one before a vowel ending ("қауіпсіздігі" → "қауіпсіздік").
DEVOICED = str.maketrans({"г": "к", "ғ": "қ", "б": "п"})


def kazakh_stems(word: str) -> set[str]:
    """The stems ``word`` (lower case) may have once its Kazakh endings are taken off, one at a time
    (at most ``KAZAKH_MAX_STRIPS``), each where the sound before it allows it (``FOLLOWS``) and
    ``KAZAKH_MIN_STEM`` letters remain.

    A suffix-stripper cannot tell "тасқын" + "-ы" (its flood) from a stem "тасқы" + "-ны", nor
    "қала" + "-сы" (its city) from "отырыс" + "-ы" (its session), so every reading is kept: the forms of
    one word share the right one ("тасқыны", "тасқынның", "тасқындары" all give "тасқын"), at the cost
    of a few short stems that two unrelated words may share."""
    stems: set[str] = set()
    frontier = {word}
    for _ in range(KAZAKH_MAX_STRIPS):
        found = set()
        for form in frontier:
            for ending in KAZAKH_ENDINGS:
                stem = form[: -len(ending)]
                fits = ending not in FOLLOWS or (stem[-1:] in FOLLOWS[ending])
                if form.endswith(ending) and len(stem) >= KAZAKH_MIN_STEM and fits:
                    found.add(stem)
        frontier = found - stems
        stems |= found
        if not frontier:
            break
    return {stem[:-1] + stem[-1:].translate(DEVOICED) for stem in stems}


@functools.cache
def _russian() -> Any:
    import pymorphy3

    logging.getLogger("pymorphy3").setLevel(logging.WARNING)  # not its "Loading dictionaries…" on every start
    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.cache
def _english() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=20000)
def keys_of(word: str) -> frozenset[str]:
    """The keys of one word: itself and its forms in the languages its alphabet may be written in."""
    word = word.lower().replace("ё", "е")
    keys = {word}
    if CYRILLIC.search(word):
        keys.update(kazakh_stems(word))
        keys.update(p.normal_form.replace("ё", "е") for p in _russian().parse(word) if p.is_known)
    if LATIN.search(word):
        keys.add(_english().stemWord(word))
    return frozenset(k for k in keys if k)


def words_of(text: str) -> list[str]:
    return WORD.findall(text or "")


def document_keys(*texts: str) -> str:
    """The keys of every word of ``texts``, each once, space-separated and space-framed: the text a
    search index stores for a record (so that ``" key "`` is contained in it exactly when it is a key)."""
    keys: dict[str, None] = {}
    for text in texts:
        for word in words_of(text):
            keys.update(dict.fromkeys(sorted(keys_of(word))))
    return f" {' '.join(keys)} " if keys else ""
