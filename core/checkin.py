"""Signed check-in codes, shared by every plugin that checks people in (programs, volunteers).

A code is ``<prefix><id>-<8 letters>``: short enough to read out or type, signed with
SECRET_KEY (salted per ``namespace``) so nobody can guess another person's code from their own.
The QR image of a code is only this text (``core.qr``), so a scan and a typed code are the same.
"""

import base64

from django.utils.crypto import constant_time_compare, salted_hmac


def signature(namespace: str, pk: int) -> str:
    digest = salted_hmac(namespace, str(pk), algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:8]


def make_code(prefix: str, namespace: str, pk: int) -> str:
    """The code for row ``pk`` of ``namespace``, e.g. ``R12-ABCDEFGH``."""
    return f"{prefix}{pk}-{signature(namespace, pk)}"


def read_code(prefix: str, namespace: str, code: str) -> int | None:
    """The id a code names, or None when it is malformed, forged or of another prefix.

    Lenient about what people type: case, spaces, a missing prefix.
    """
    code = (code or "").strip().upper().replace(" ", "")
    prefix = prefix.upper()
    if code.startswith(prefix):
        code = code[len(prefix):]
    pk, _sep, sig = code.partition("-")
    if not pk.isascii() or not pk.isdigit() or not sig or len(pk) > 18:
        return None
    if not constant_time_compare(sig, signature(namespace, int(pk))):
        return None
    return int(pk)
