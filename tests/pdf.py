"""Reading generated PDFs back in tests, as a reader (pypdf) finds their text."""

import io
import re


def squash(text):
    """Text without whitespace: PDF layout breaks lines and spaces where the source had none."""
    return re.sub(r"\s+", "", text)


def pdf_text(content):
    """The PDF's text without the spaces and line breaks of its layout: compare it with
    ``squash``ed text."""
    from pypdf import PdfReader

    return squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))
