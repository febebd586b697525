"""Chinese word segmentation for search.

Wagtail's database search backends split text on spaces and punctuation, so a Chinese sentence is
one long "word" and only the whole sentence finds it. We index an extra field holding jieba's
search-mode segmentation (``cut_for_search``: every word plus its shorter dictionary words, so
零工驿站 yields 零工, 驿站 and 零工驿站) and segment the query the same way. Both sides use the
same dictionary, so a word found in a story is the word a reader types.
"""

import logging
import re
import threading
from pathlib import Path

from modelsearch.query import And, Or, PlainText

_lock = threading.Lock()
_ready = False
_jieba = None

#: Local words jieba's general dictionary does not know, so they stay whole.
USER_DICT = Path(__file__).with_name("jieba_words.txt")

#: Function words that carry no meaning for search.
STOPWORDS = frozenset("的 了 在 和 与 及 是 为 把 被 也 都 而 就 着 又 或 等 之 个 这 那 有 对 向 从".split())

_WORD = re.compile(r"\w", re.UNICODE)

#: How often a taught name counts as seen: enough to keep it whole inside a sentence.
NAME_FREQ = 2000


def _tokenizer():
    global _ready, _jieba
    if _ready:
        return _jieba
    with _lock:
        if not _ready:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            # (jieba.load_userdict leaves its file open, so read the words ourselves.)
            for line in USER_DICT.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if parts:
                    jieba.add_word(parts[0], freq=int(parts[1]) if len(parts) > 1 else None,
                                   tag=parts[2] if len(parts) > 2 else None)
            _jieba = jieba
            _ready = True
    return _jieba


def add_words(*words):
    """Teach the segmenter words (author names, place names) so they are kept whole."""
    jieba = _tokenizer()
    known = jieba.dt.FREQ
    for word in words:
        # Once per word: each add_word also grows jieba's total frequency, which would slowly
        # change how everything else is cut.
        if word and len(word) > 1 and known.get(word, 0) < NAME_FREQ:
            jieba.add_word(word, freq=NAME_FREQ)


def _meaningful(token):
    token = token.strip()
    return bool(token) and _WORD.search(token) is not None and token not in STOPWORDS


def tokens_for_index(*texts) -> str:
    """Search-mode tokens of ``texts``, space separated, for an indexed field."""
    jieba = _tokenizer()
    out = []
    for text in texts:
        if not text:
            continue
        out.extend(t.strip().lower() for t in jieba.cut_for_search(str(text)) if _meaningful(t))
    return " ".join(out)


def query_words(query: str) -> list[list[str]]:
    """The query's words, each with the alternatives a document may hold it as.

    ``零工驿站 骑手`` -> ``[["零工驿站", "零工", "驿站"], ["骑手"]]``.
    """
    jieba = _tokenizer()
    words = []
    for word in jieba.cut(query or ""):
        if not _meaningful(word):
            continue
        word = word.strip().lower()
        forms = [word] + [t.lower() for t in jieba.cut_for_search(word) if _meaningful(t) and t.lower() != word]
        # dedupe, keep order
        forms = list(dict.fromkeys(forms))
        if forms not in words:
            words.append(forms)
    return words


def build_query(query: str):
    """A modelsearch query object: every word must match, in any of its segmented forms."""
    words = query_words(query)
    if not words:
        return None
    known = _tokenizer().dt.FREQ
    parts = []
    for forms in words:
        if len(forms) == 1 or known.get(forms[0]):
            # A dictionary word is indexed whole (cut_for_search keeps it beside its parts).
            parts.append(PlainText(forms[0]))
        else:
            parts.append(Or([PlainText(form) for form in forms]))
    return parts[0] if len(parts) == 1 else And(parts)


def search_ids(queryset, query: str, limit: int = 500) -> list[int]:
    """Primary keys of ``queryset`` matching ``query``, best first."""
    from wagtail.search.backends import get_search_backend

    built = build_query(query)
    if built is None:
        return []
    results = get_search_backend().search(built, queryset, order_by_relevance=True)
    return [obj.pk for obj in results[:limit]]
