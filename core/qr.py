"""QR codes for everything a person is asked to scan (check-in codes, shifts, stations, posters).

Always a *standard* QR symbol: ``segno.make`` picks a Micro QR symbol whenever the text is short
enough, and phone camera apps, OpenCV and the browser's ``BarcodeDetector`` read standard QR only.

Sizes are chosen for scanning from another phone's screen: the quiet zone is the four modules the
standard asks for (two were not enough for some camera apps against a white page), and images are
drawn so that the whole symbol is at least :data:`MIN_SIDE_PX` pixels wide whatever its version.
"""

import io
import math

import segno

#: Error correction "M" (15 %): survives a scratched screen and a thumb over a corner.
ERROR = "m"
#: Quiet zone in modules, as ISO/IEC 18004 asks for standard QR.
BORDER = 4
#: Smallest side of a rendered code in pixels (CSS pixels for SVG).
MIN_SIDE_PX = 300


def make(text: str) -> segno.QRCode:
    """A standard (never Micro) QR symbol for ``text``."""
    return segno.make_qr(text, error=ERROR, boost_error=True)


def _scale(code: segno.QRCode) -> int:
    modules = code.symbol_size(scale=1, border=BORDER)[0]
    return max(4, math.ceil(MIN_SIDE_PX / modules))


def svg(text: str, title: str = "") -> bytes:
    """The code as a standalone SVG document (no XML declaration, so it can be inlined too)."""
    code = make(text)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=_scale(code), border=BORDER, title=title or text,
              xmldecl=False, svgclass="qr", lineclass=None)
    return buffer.getvalue()


def png(text: str) -> bytes:
    code = make(text)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=_scale(code), border=BORDER)
    return buffer.getvalue()


def svg_response(text: str, title: str = ""):
    from django.http import HttpResponse

    return HttpResponse(svg(text, title), content_type="image/svg+xml")


def png_response(text: str):
    from django.http import HttpResponse

    return HttpResponse(png(text), content_type="image/png")
