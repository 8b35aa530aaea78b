"""French search over the procedures catalogue: a pure engine, no Django import.

Accents, case and punctuation are folded; words are reduced with the Snowball French
stemmer (the algorithm behind PostgreSQL's ``french_stem``); typos are forgiven through
trigram word similarity (the measure of PostgreSQL's ``pg_trgm``); unfinished words
match by prefix. Each query word scores its best match in each field, weighted by
field, times the word's rarity; documents that match more query words rank first.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# Words too common to carry meaning in a query about procedures.
STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "je",
        "j",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "ma",
        "mes",
        "mon",
        "ne",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
        "vos",
        "votre",
        "y",
        "il",
        "elle",
        "on",
        "nous",
        "vous",
        "ils",
        "elles",
        "est",
        "suis",
        "ai",
        "faire",
        "fait",
        "comment",
    ]  # noqa: SIM905 - a word list reads better as one string
)
FIELD_WEIGHTS = {"title": 1.0, "keywords": 0.9, "operator": 0.6, "theme": 0.4, "body": 0.3}
# Word similarity needed to forgive a typo; PostgreSQL is set to the same (pg_trgm's
# default, 0.6, misses one-letter typos in five-letter words such as "grize").
TRIGRAM_THRESHOLD = 0.5
STEM_FACTOR = 0.8  # same stem, another word ("retrait" for "retraite"): a little less than the word itself
FUZZY_FACTOR = 0.7  # a forgiven typo counts less than an exact word
PREFIX_FACTOR = 0.85
MIN_PREFIX = 3

_stemmer = snowballstemmer.stemmer("french")
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, without accents or ligatures, punctuation as spaces."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


@lru_cache(maxsize=65536)
def trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def word_similarity(query_word: str, word: str) -> float:
    """Share of the query word's trigrams found in ``word`` (pg_trgm's word_similarity for one word)."""
    q = trigrams(query_word)
    return len(q & trigrams(word)) / len(q) if q else 0.0


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    keywords: Sequence[str] = ()
    operator: str = ""
    theme: str = ""
    body: str = ""


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    matched: int  # how many query words matched


@dataclass
class Index:
    """Inverted index: stem → {doc id → best field weight}, plus the raw words for typos and prefixes."""

    postings: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    exact: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    word_stems: dict[str, str] = field(default_factory=dict)
    size: int = 0
    _by_trigram: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def build(cls, documents: Iterable[Document]) -> Index:
        index = cls()
        for doc in documents:
            index.add(doc)
        return index

    def add(self, doc: Document) -> None:
        self.size += 1
        fields = {
            "title": doc.title,
            "keywords": " ".join(doc.keywords),
            "operator": doc.operator,
            "theme": doc.theme,
            "body": doc.body,
        }
        for name, text in fields.items():
            weight = FIELD_WEIGHTS[name]
            for word in words(text):
                s = stem(word)
                if self.postings[s].get(doc.id, 0.0) < weight:
                    self.postings[s][doc.id] = weight
                if self.exact[word].get(doc.id, 0.0) < weight:
                    self.exact[word][doc.id] = weight
                if word not in self.word_stems:
                    self.word_stems[word] = s
                    for gram in trigrams(word):
                        self._by_trigram[gram].add(word)

    def _idf(self, s: str) -> float:
        n = len(self.postings.get(s, ()))
        return math.log(1 + (self.size - n + 0.5) / (n + 0.5))

    def _expand(self, query_word: str) -> list[tuple[dict[int, float], float, float]]:
        """Postings a query word may stand for: (postings, how much a match is worth, idf)."""
        expansions = []
        s = stem(query_word)
        if s in self.postings:
            # The word itself beats another word of the same stem ("retraite" vs "retrait").
            expansions.append((self.postings[s], STEM_FACTOR, self._idf(s)))
            if query_word in self.exact:
                expansions.append((self.exact[query_word], 1.0, self._idf(s)))
        if len(query_word) >= MIN_PREFIX:
            for word, word_stem in self._candidates(query_word):
                if word == query_word:
                    continue
                worth = 0.0
                if word.startswith(query_word):
                    worth = PREFIX_FACTOR
                # A word found as typed is no typo: look for near spellings only otherwise.
                sim = 0.0 if s in self.postings else word_similarity(query_word, word)
                if sim >= TRIGRAM_THRESHOLD:
                    worth = max(worth, FUZZY_FACTOR * sim)
                if worth:
                    expansions.append((self.exact[word], worth, self._idf(word_stem)))
        return expansions

    def _candidates(self, query_word: str) -> Iterable[tuple[str, str]]:
        seen: set[str] = set()
        for gram in trigrams(query_word):
            for word in self._by_trigram.get(gram, ()):
                if word not in seen:
                    seen.add(word)
                    yield word, self.word_stems[word]

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        query_words = list(dict.fromkeys(words(query)))
        if not query_words:
            return []
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for query_word in query_words:
            best: dict[int, float] = {}
            for postings, worth, idf in self._expand(query_word):
                for doc_id, weight in postings.items():
                    value = worth * weight * idf
                    if value > best.get(doc_id, 0.0):
                        best[doc_id] = value
            for doc_id, value in best.items():
                scores[doc_id] += value
                matched[doc_id] += 1
        ranked = sorted(scores, key=lambda d: (-matched[d], -scores[d], d))
        return [Hit(d, round(scores[d], 6), matched[d]) for d in ranked[:limit]]
