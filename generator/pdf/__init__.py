"""The print back end: one issue → one A4 PDF in the official bulletin layout (Typst)."""

from generator.pdf.fonts import FontsMissing
from generator.pdf.render import PdfError, PdfRenderer

__all__ = ["FontsMissing", "PdfError", "PdfRenderer"]
