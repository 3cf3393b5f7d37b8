"""Pattern recognizers added to presidio: OCR-tolerant numbers, addresses, licence plates.

Presidio's checksum-validated recognizers (IBAN, card numbers) miss numbers whose
characters OCR misread (0 read as O, 1 as I or l) or split across tokens; the patterns
here accept those misreadings and validate only what survives them (digit counts, mixes of
letters and digits). Case-sensitive parts use ``(?-i:...)`` because presidio matches
case-insensitively by default.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

# Characters OCR commonly reads in place of digits, and what they stand for.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5"})
_DIGITISH = "0-9OoIl|"

_STREET_SUFFIXES = (
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Road",
    "Rd",
    "Boulevard",
    "Blvd",
    "Lane",
    "Ln",
    "Drive",
    "Dr",
    "Court",
    "Ct",
    "Way",
    "Place",
    "Pl",
    "Terrace",
    "Square",
    "Sq",
    "Highway",
    "Hwy",
    "Parkway",
    "Pkwy",
    "Close",
    "Crescent",
    "Row",
    "Mews",
    "Gardens",
    "Hill",
)
_SUFFIX_ALTERNATION = "|".join(
    sorted({form for s in _STREET_SUFFIXES for form in (s, s.upper())}, key=len, reverse=True)
)
_PLATE_CONTEXT = ["plate", "licence", "license", "registration", "reg", "car", "vehicle"]


class _DigitRunRecognizer(PatternRecognizer):
    """A pattern whose match holds ``min_digits``..``max_digits`` digit-like characters,
    mostly real digits, and does not look like a date or a year range."""

    def __init__(
        self, *, entity: str, name: str, patterns: list[Pattern], min_digits: int, max_digits: int
    ) -> None:
        super().__init__(supported_entity=entity, name=name, patterns=patterns)
        self.min_digits = min_digits
        self.max_digits = max_digits

    def validate_result(self, pattern_text: str) -> bool | None:
        """False for implausible matches; None keeps the pattern's own score."""
        digitish = [c for c in pattern_text if c.isdigit() or c in "OoIl|S"]
        real = sum(c.isdigit() for c in digitish)
        if not self.min_digits <= len(digitish) <= self.max_digits:
            return False
        if real < 0.75 * len(digitish) or _date_or_year_range(pattern_text):
            return False
        return None


def _date_or_year_range(text: str) -> bool:
    compact = text.strip()
    if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", compact):
        return True
    if re.fullmatch(r"\d{4}[./-]\d{1,2}[./-]\d{1,2}", compact):
        return True
    return bool(re.fullmatch(r"(?:19|20)\d\d\s?[-/]\s?(?:19|20)\d\d", compact))


class _PlateRecognizer(PatternRecognizer):
    """Licence-plate-like strings: 4-8 letters and digits, both present."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """False unless the match mixes letters and digits in a plate-like length."""
        alnum = [c for c in pattern_text if c.isalnum()]
        has_letter = any(c.isalpha() for c in alnum)
        has_digit = any(c.isdigit() for c in alnum)
        return None if has_letter and has_digit and 4 <= len(alnum) <= 9 else False


class _IbanLikeRecognizer(PatternRecognizer):
    """IBAN-shaped strings, checksum not required (OCR breaks checksums)."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """False unless at least 10 digit-like characters follow the country code."""
        body = pattern_text[2:].translate(_DIGIT_LOOKALIKES)
        return None if sum(c.isdigit() for c in body) >= 10 else False


def custom_recognizers() -> list[PatternRecognizer]:
    """The project's recognizers, added to presidio's predefined English ones."""
    return [
        _email_recognizer(),
        _phone_recognizer(),
        _card_recognizer(),
        _iban_recognizer(),
        _address_recognizer(),
        _plate_recognizer(),
    ]


def _email_recognizer() -> PatternRecognizer:
    pattern = (
        r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}\s?[@©®]\s?[A-Za-z0-9-]{1,63}"
        r"(?:[.,][A-Za-z0-9-]{1,63})*[.,][A-Za-z]{2,10}(?![\w])"
    )
    return PatternRecognizer(
        supported_entity="EMAIL_ADDRESS",
        name="OcrTolerantEmailRecognizer",
        patterns=[Pattern("email_ocr", pattern, 0.7)],
    )


def _phone_recognizer() -> PatternRecognizer:
    grouped = (
        rf"(?<![\w+])(?:\+\s?|00)?(?:\([{_DIGITISH}]{{1,4}}\)|[{_DIGITISH}]{{1,4}})"
        rf"(?:[ .\-/]{{1,2}}[{_DIGITISH}]{{1,5}}){{1,5}}(?![\w])"
    )
    return _DigitRunRecognizer(
        entity="PHONE_NUMBER",
        name="OcrTolerantPhoneRecognizer",
        patterns=[
            Pattern("phone_grouped", grouped, 0.5),
            Pattern("phone_run", r"(?<![\w+])\+?\d{7,15}(?![\w])", 0.45),
        ],
        min_digits=7,
        max_digits=15,
    )


def _card_recognizer() -> PatternRecognizer:
    pattern = r"(?<![\w])[0-9OoIlS](?:[ -]?[0-9OoIlS]){12,18}(?![\w])"
    return _DigitRunRecognizer(
        entity="CREDIT_CARD",
        name="OcrTolerantCardRecognizer",
        patterns=[Pattern("card_ocr", pattern, 0.6)],
        min_digits=13,
        max_digits=19,
    )


def _iban_recognizer() -> PatternRecognizer:
    pattern = (
        r"(?-i:\b[A-Z]{2}[0-9OoIl]{2}(?:[ ]?[A-Z0-9OoIl]{4}){2,7}(?:[ ]?[A-Z0-9OoIl]{1,4})?\b)"
    )
    return _IbanLikeRecognizer(
        supported_entity="IBAN_CODE",
        name="OcrTolerantIbanRecognizer",
        patterns=[Pattern("iban_ocr", pattern, 0.6)],
    )


def _address_recognizer() -> PatternRecognizer:
    name_words = r"(?:[A-Z][A-Za-z'.-]*\s+){0,3}"
    english = rf"(?-i:\b\d{{1,5}}[A-Za-z]?,?\s+{name_words}(?:{_SUFFIX_ALTERNATION})\b)"
    german = (
        r"(?-i:\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)"
        r"\s+\d{1,4}[a-z]?\b)"
    )
    romance = (
        r"(?i:\b\d{1,4},?\s+(?:rue|avenue|boulevard|chemin|allée|impasse|via|calle|avenida)"
        r"\s+(?:(?:de|du|des|la|le|del|della)\s+)?)(?-i:[A-Z][\w'-]+)"
    )
    us_state_zip = r"(?-i:\b[A-Z][a-z]+,\s[A-Z]{2}\s\d{5}(?:-\d{4})?\b)"
    return PatternRecognizer(
        supported_entity="STREET_ADDRESS",
        name="StreetAddressRecognizer",
        patterns=[
            Pattern("street_english", english, 0.9),
            Pattern("street_german", german, 0.9),
            Pattern("street_romance", romance, 0.9),
            Pattern("us_city_state_zip", us_state_zip, 0.5),
        ],
        context=["address", "lives", "street", "road"],
    )


def _plate_recognizer() -> PatternRecognizer:
    patterns = [
        Pattern("plate_uk", r"(?-i:\b[A-Z]{2}[0-9]{2}\s?[A-Z]{3}\b)", 0.5),
        Pattern("plate_fr_it", r"(?-i:\b[A-Z]{2}[- ][0-9]{3}[- ][A-Z]{2}\b)", 0.55),
        Pattern("plate_de", r"(?-i:\b[A-ZÄÖÜ]{1,3}-[A-Z]{1,2}\s?[0-9]{1,4}[EH]?\b)", 0.5),
        Pattern("plate_ca", r"(?-i:\b[0-9][A-Z]{3}[0-9]{3}\b)", 0.5),
        Pattern(
            "plate_hyphen_groups",
            r"(?-i:\b[A-Z0-9]{1,3}-[A-Z0-9]{2,3}-[A-Z0-9]{1,3}\b)",
            0.45,
        ),
        Pattern("plate_letters_digits", r"(?-i:\b[A-Z]{3}[- ]?[0-9]{3,4}\b)", 0.35),
        Pattern("plate_digits_letters", r"(?-i:\b[0-9]{4}[- ]?[A-Z]{3}\b)", 0.35),
    ]
    return _PlateRecognizer(
        supported_entity="LICENSE_PLATE",
        name="LicencePlateRecognizer",
        patterns=patterns,
        context=_PLATE_CONTEXT,
    )
