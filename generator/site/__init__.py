"""The web back end: the archive as a static site, built with MkDocs and the Material theme.

Only this package imports MkDocs. Templates live in `themes/<theme>/site/`.
"""

from generator.site.build import build_site
from generator.site.serve import serve_site

__all__ = ["build_site", "serve_site"]
