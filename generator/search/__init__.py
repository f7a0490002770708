"""Full-text search with Pagefind: every published news item is one search record.

`records` turns the model into records (one small page per item, Chinese cut into single
characters); `index` runs Pagefind over them, one bundle per year, cached; `stable` makes a
bundle byte-identical from run to run. The search box is the theme's `assets/jianbao/search.js`.
"""

from generator.search.index import BUNDLE_FOLDER, IndexReport, SearchIndexError, index_site
from generator.search.records import SearchRecord, search_facets, search_records, tokens

__all__ = [
    "BUNDLE_FOLDER",
    "IndexReport",
    "SearchIndexError",
    "SearchRecord",
    "index_site",
    "search_facets",
    "search_records",
    "tokens",
]
