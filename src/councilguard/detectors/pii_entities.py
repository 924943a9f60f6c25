"""Personal-data entity names and cheap helpers, importable without loading Presidio or spaCy.

The recognisers themselves (pii_recognisers) and the analyzers (pii_presidio) import Presidio, which
imports spaCy: about a second. They are loaded only when a message has something worth a look.
"""

from __future__ import annotations

KEEP = 0.5  # results scoring below this after context are dropped by the analysis

# Presidio entity names this module produces.
PHONE, EMAIL, ADDRESS, POSTCODE = "UK_PHONE", "EMAIL_ADDRESS", "UK_STREET_ADDRESS", "UK_POSTCODE"
NINO, NHS, SORT_CODE, ACCOUNT, DOB = "UK_NINO", "UK_NHS", "UK_SORT_CODE", "UK_BANK_ACCOUNT", "DATE_OF_BIRTH"
ENTITIES = (PHONE, EMAIL, ADDRESS, POSTCODE, NINO, NHS, SORT_CODE, ACCOUNT, DOB)


def phone_kind(text: str) -> str | None:
    """``"mobile"`` or ``"landline"`` for a UK personal-range number, else None."""
    import phonenumbers  # its metadata tables take a while to import; only a found number needs them

    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 44 or not phonenumbers.is_possible_number(number):
        return None
    national = str(number.national_number)
    if national[0] == "7" and national[:2] not in ("70", "76"):
        return "mobile" if len(national) == 10 else None
    if national[0] in "12":
        return "landline"
    return None
