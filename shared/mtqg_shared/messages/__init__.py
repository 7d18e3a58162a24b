"""Every word the API says to a person, in Vietnamese and English.

A raise site names a message by its key with named parameters (`msg("not_found",
what=word("case"))`); the text is chosen when the answer is rendered, in the request's
language (`Accept-Language`, else `MTQG_DEFAULT_LANGUAGE`). The catalogues are `vi.py` and
`en.py`: one dict each, the same keys and the same placeholders (tests/shared/test_messages.py).

Keys:
- `title.<problem type>`: a problem's title;
- `field.<code>` and `field.<code>.<variant>`: a field error's message; the segment after
  `field.` is the error's stable `code`, the same in every language;
- `word.<name>`: a word used as a parameter (a record's kind, "the previous step");
- anything else: a problem's detail.

A placeholder may carry a spec: `{what:a}` puts "a" or "an" before an English word, `{what:cap}`
capitalises its first letter. Parameters are rendered in the same language: a `Msg` (a word)
is translated in turn, an enum member by its words in the vocabulary (`name_enum_values`,
which the kit's vocabulary calls for every enum it labels: "Đã bàn giao", not `handed_over`),
a date is written YYYY-MM-DD, a list is joined with commas.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from mtqg_shared.messages import en, vi

Language = Literal["vi", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("vi", "en")
DEFAULT_LANGUAGE: Final[Language] = "vi"
CATALOGUES: Final[Mapping[str, Mapping[str, str]]] = {"vi": vi.MESSAGES, "en": en.MESSAGES}
# The code of a field error no catalogue names more precisely.
GENERIC_CODE: Final = "invalid"
# Every code a field error can carry: the segment after `field.` of the catalogue's keys.
FIELD_CODES: Final[tuple[str, ...]] = tuple(
    sorted({key.split(".")[1] for key in en.MESSAGES if key.startswith("field.")})
)


@dataclass(frozen=True, slots=True)
class Msg:
    """A message not yet worded: its catalogue key and its named parameters."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, language: str) -> str:
        return render(self, language)

    def __str__(self) -> str:  # logs and tracebacks read English
        return render(self, "en")


@dataclass(frozen=True, slots=True)
class Verbatim:
    """Text already worded in the request's language (a service's answer passed on)."""

    text: str

    def render(self, language: str) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


Text = Msg | Verbatim


def msg(key: str, **params: object) -> Msg:
    return Msg(key, params)


def word(name: str) -> Msg:
    """A word used as a parameter: `word("case")` is "hồ sơ" or "case"; a name of several
    words is one key (`word("funding entry")` is `word.funding_entry`)."""
    return Msg(_word_key(name))


def _word_key(name: str) -> str:
    return "word." + name.lower().replace(" ", "_")


def field_message(key: str, **params: object) -> Msg:
    """A field error's message: `key` is its code, or `code.variant`."""
    return Msg(f"field.{key}", params)


def code_of(key: str) -> str:
    """The stable code of a field message key (`out_of_range.at_most` -> `out_of_range`)."""
    return key.removeprefix("field.").split(".", 1)[0]


def require_word(name: str) -> str:
    """Fail at import, not in a request, when a word used in messages has no entry."""
    for language in LANGUAGES:
        if _word_key(name) not in CATALOGUES[language]:
            raise LookupError(f"no {language} word for {name!r} in mtqg_shared.messages")
    return name


_VOWEL_SOUND = re.compile(r"^(?:[aeio]|u(?!ni|se|su))", re.IGNORECASE)


class _Formatter(string.Formatter):
    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        text = _text_of(value, self.language)
        if format_spec in ("a", "A"):
            article = "an" if _VOWEL_SOUND.match(text) else "a"
            return f"{article.capitalize() if format_spec == 'A' else article} {text}"
        if format_spec == "cap":
            return text[:1].upper() + text[1:]
        return format(text, format_spec)


# (enum class, value) -> {language: words}; keyed by class too, since two enums may share a
# value (StrEnum members equal their value and hash as it).
_ENUM_WORDS: dict[tuple[type[enum.Enum], object], Mapping[str, str]] = {}


def name_enum_values(
    enum_class: type[enum.Enum], words: Mapping[object, Mapping[str, str]]
) -> None:
    """How messages word each member of `enum_class`: `{value: {"vi": ..., "en": ...}}`."""
    for value, by_language in words.items():
        _ENUM_WORDS[(enum_class, str(value))] = dict(by_language)


def _text_of(value: object, language: str) -> str:
    if isinstance(value, Msg | Verbatim):
        return value.render(language)
    if isinstance(value, enum.Enum):
        words = _ENUM_WORDS.get((type(value), str(value.value)))
        return words[language] if words and language in words else str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return ", ".join(_text_of(item, language) for item in items)
    return str(value)


def render(message: Msg, language: str) -> str:
    """The message in `language` (English when that language lacks it; the key itself when
    no catalogue has it, which tests/shared/test_messages.py keeps from happening)."""
    template = CATALOGUES.get(language, en.MESSAGES).get(message.key)
    if template is None:
        template = en.MESSAGES.get(message.key)
        language = "en"
    if template is None:
        return message.key
    try:
        return _Formatter(language).vformat(template, (), dict(message.params))
    except (KeyError, IndexError, ValueError):
        return template


def placeholders(template: str) -> frozenset[str]:
    """The parameter names a template uses."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


_RANGE = re.compile(r"^([a-z]{1,8})(?:-[a-z0-9]{1,8})*$")


def choose_language(header: str | None, default: str) -> Language:
    """The language an `Accept-Language` header prefers among vi and en (RFC 9110 12.5.4: the
    highest q wins, a tie goes to the first listed; `vi-VN` is vi; `*` is the default);
    anything else, or no header, gives `default`."""
    fallback: Language = "en" if default == "en" else "vi"
    if not header:
        return fallback
    best: Language | None = None
    best_q = 0.0
    for part in header.split(",")[:32]:
        tag, _, rest = part.strip().partition(";")
        tag = tag.strip().lower()
        q = 1.0
        for param in rest.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0:
                    q = 0.0
        if q <= best_q:
            continue
        if tag == "*":
            candidate: Language | None = fallback
        else:
            match = _RANGE.match(tag)
            primary = match.group(1) if match else ""
            candidate = "vi" if primary == "vi" else "en" if primary == "en" else None
        if candidate is not None:
            best, best_q = candidate, q
    return best or fallback
