"""Chinese search: one segmentation for every search on the site.

Wagtail's database search backends (SQLite FTS5, PostgreSQL tsvector) split text on spaces and
punctuation, so a Chinese sentence is one long "word" and only the whole sentence finds it
(/admin/pages/search/?q=驿站 found nothing). ``core.search_backend`` puts this module on both
sides of Wagtail's backend, so the admin's search, ``/api/v3/pages/?search=``, snippet and image
choosers, the news listing and the site search (``core.sitesearch``) all find the same things:

- **indexing**: every indexed text becomes jieba's search-mode words (``cut_for_search``: every
  word plus its shorter dictionary words, so 零工驿站 yields 零工, 驿站 and 零工驿站) followed by
  the character pairs (bigrams) of each run of Chinese characters that are not already words.
  The pairs make any two-character part findable whatever jieba's dictionary knows: 晓岚 finds
  周晓岚, 充电柜 finds 智能充电柜 however jieba cut it in that sentence.
- **querying**: the query is cut the same way; a word of three or more characters matches itself
  or all its pairs, so a word cut differently in the document than in the query is still found.

Both sides use one dictionary (``jieba_words.txt`` beside this file: the sub-district's own
words), so a word found in a text is the word a reader types.
"""

import logging
import re
import threading
from pathlib import Path

_lock = threading.Lock()
_ready = False
_jieba = None

#: Local words jieba's general dictionary does not know, so they stay whole.
USER_DICT = Path(__file__).with_name("jieba_words.txt")

#: Function words that carry no meaning for search.
STOPWORDS = frozenset("的 了 在 和 与 及 是 为 把 被 也 都 而 就 着 又 或 等 之 个 这 那 有 对 向 从".split())

_WORD = re.compile(r"\w", re.UNICODE)
# CJK unified ideographs (with extension A and the compatibility block): the characters that
# get pairs. Latin words and numbers are single tokens already.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_HAS_CJK = re.compile(f"[{_CJK}]")

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


def has_cjk(text) -> bool:
    return bool(text) and _HAS_CJK.search(str(text)) is not None


def _meaningful(token):
    token = token.strip()
    return bool(token) and _WORD.search(token) is not None and token not in STOPWORDS


def _pairs(run):
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_text(text) -> str:
    """What the search index stores for ``text``: jieba's search-mode words, then the character
    pairs of its Chinese runs that are not words already, space separated and lower-cased.
    Text without Chinese characters is returned as it was (the backend's own parser handles it:
    English stemming on PostgreSQL stays as it was)."""
    if not text:
        return ""
    text = str(text)
    if not has_cjk(text):
        return text
    words = [t.strip().lower() for t in _tokenizer().cut_for_search(text) if _meaningful(t)]
    seen = set(words)
    pairs = [pair for run in _CJK_RUN.findall(text) for pair in _pairs(run) if pair not in seen]
    return " ".join(words + pairs)


def tokens_for_index(*texts) -> str:
    """:func:`index_text` of several texts, joined."""
    return " ".join(filter(None, (index_text(text) for text in texts)))


def _merge_single_characters(words):
    """jieba cuts a name it does not know into single characters (晓 / 岚): put a run of them
    back together, so the pair (晓岚) is looked up rather than characters no index holds."""
    out, run = [], ""
    for word in words:
        if len(word) == 1 and has_cjk(word) and word not in STOPWORDS:
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        out.append(word)
    if run:
        out.append(run)
    return out


def query_words(query: str) -> list[str]:
    """The meaningful words of a reader's query, in order, lower-cased, without repeats:
    ``零工驿站的骑手`` -> ``["零工驿站", "骑手"]``."""
    words = []
    for chunk in (query or "").split():
        if has_cjk(chunk):
            cut = [w.strip() for w in _tokenizer().cut(chunk)]
            cut = _merge_single_characters([w for w in cut if w and (_meaningful(w) or w in STOPWORDS)])
            chunk_words = [w.lower() for w in cut if _meaningful(w)]
        else:
            chunk_words = [chunk.lower()] if _meaningful(chunk) else []
        for word in chunk_words:
            if word not in words:
                words.append(word)
    return words


def _word_query(word):
    from modelsearch.query import And, Or, PlainText

    runs = _CJK_RUN.findall(word)
    if not runs or len(word) <= 2 or len(runs) != 1 or runs[0] != word:
        return PlainText(word)
    # The whole word, or every pair of it: both are in the index wherever the word is, the
    # whole word only where jieba cut the text the same way (it then ranks higher).
    return Or([PlainText(word), And([PlainText(pair) for pair in _pairs(word)])])


def segment_query(query, operator="and"):
    """A modelsearch query for ``query`` (a string or a query object from Wagtail's
    ``parse_query_string``) that matches what :func:`index_text` stored. Words are combined with
    ``operator`` ("and": every word; "or": any). Query objects are rewritten where they hold
    Chinese text and kept otherwise (filters, MATCH_ALL, quoted English phrases)."""
    from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText

    if isinstance(query, str):
        query = PlainText(query, operator=operator or "and")
    if isinstance(query, PlainText | Phrase):
        text = query.query_string
        if not has_cjk(text):
            return query
        words = query_words(text)
        if not words:
            return query
        parts = [_word_query(word) for word in words]
        if len(parts) == 1:
            return parts[0]
        join_or = isinstance(query, PlainText) and (query.operator or "and").lower() == "or"
        return Or(parts) if join_or else And(parts)
    if isinstance(query, And):
        return And([segment_query(sub, operator) for sub in query.subqueries])
    if isinstance(query, Or):
        return Or([segment_query(sub, operator) for sub in query.subqueries])
    if isinstance(query, Not):
        return Not(segment_query(query.subquery, operator))
    if isinstance(query, Boost):
        return Boost(segment_query(query.subquery, operator), query.boost)
    return query


def search_ids(queryset, query: str, limit: int = 500) -> list[int]:
    """Primary keys of ``queryset`` matching ``query``, best first (the backend segments)."""
    from wagtail.search.backends import get_search_backend

    if not query_words(query or ""):
        return []
    results = get_search_backend().search(query, queryset, order_by_relevance=True)
    return [obj.pk for obj in results[:limit]]
