"""Personal data, held apart: it never appears in a ``repr``, a ``str``, a log or an error.

A complaint's events hold identifiers, dates and choices only. The complainant's name,
contact details and the text of the complaint live here, beside the history, so that a
store can encrypt or strip them and nothing the library prints can leak them.
"""

from __future__ import annotations

import attrs

from .errors import InvalidInputError

__all__ = ["PersonalDetails"]


def _text(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        # Name the field and the type; never the value, which may be personal.
        raise InvalidInputError(
            f"PersonalDetails.{attribute.name} must be a str (got {type(value).__name__})"
        )


@attrs.frozen(repr=False)
class PersonalDetails:
    """The complainant's name, contact details and the complaint's own words.

    ``repr`` and ``str`` show only which fields are filled in:

    >>> PersonalDetails(name="A. Person", contact="a@example.org", text="...")
    PersonalDetails(<redacted: name, contact, text>)
    """

    name: str = attrs.field(default="", validator=_text)
    contact: str = attrs.field(default="", validator=_text)
    text: str = attrs.field(default="", validator=_text)

    def __repr__(self) -> str:
        filled = [a.name for a in attrs.fields(PersonalDetails) if getattr(self, a.name)]
        return f"PersonalDetails(<redacted: {', '.join(filled) or 'empty'}>)"

    __str__ = __repr__

    @property
    def anonymous(self) -> bool:
        """Whether there is no way to reach the person (no name and no contact details)."""
        return not self.name and not self.contact
