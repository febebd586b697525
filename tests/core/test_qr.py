"""Check-in codes are standard QR symbols a phone camera reads, decoded here by a real decoder."""

import io

import pytest
import zxingcpp
from PIL import Image

from core import qr


def decode(png: bytes):
    image = Image.open(io.BytesIO(png)).convert("L")
    results = zxingcpp.read_barcodes(image, formats=(zxingcpp.BarcodeFormat.QRCode,
                                     zxingcpp.BarcodeFormat.MicroQRCode))
    assert len(results) == 1, "exactly one code in the image"
    return results[0], image


@pytest.mark.parametrize("text", ["R12-ABCD2345", "R1-A", "https://fengchao.example/volunteers/shifts/98/check-in/"])
def test_codes_are_standard_qr_big_enough_for_a_phone(text):
    result, image = decode(qr.png(text))
    assert result.text == text
    assert result.format == zxingcpp.BarcodeFormat.QRCode  # not MicroQRCode
    assert min(image.size) >= qr.MIN_SIDE_PX


def test_svg_is_standard_qr_of_at_least_the_minimum_size():
    import re

    document = qr.svg("R7-XYZ", title="太极拳")
    width = int(re.search(rb'width="(\d+)"', document).group(1))
    assert width >= qr.MIN_SIDE_PX
    assert b"<title>\xe5\xa4\xaa\xe6\x9e\x81\xe6\x8b\xb3</title>" in document
    assert not qr.make("R7-XYZ").is_micro
