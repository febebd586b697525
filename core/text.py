"""Small text helpers shared by every plugin."""


def mask_phone(phone: str | None) -> str:
    """138****5678: what other people may see of a phone number."""
    if not phone:
        return ""
    digits = phone[-11:] if len(phone) >= 11 else phone
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"
