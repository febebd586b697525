"""Chinese search for the newsroom: the site's one segmentation (core.search), which the search
backend (core.search_backend) applies to every indexed text and every query. Kept as the news
plugin's entry point: ``search_ids`` is what its listing, feeds and API call."""

from core.search import (
    add_words,
    index_text,
    query_words,
    search_ids,
    segment_query,
    tokens_for_index,
)

__all__ = ["add_words", "index_text", "query_words", "search_ids", "segment_query", "tokens_for_index"]
