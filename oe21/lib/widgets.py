"""Form widgets rendered in Python where Django's templates are too slow for long lists.

Django renders each `<option>` of a `Select` through a template: about 0.1 ms an option, so a list of
200 offerings costs 20 ms and a grid of rows with 200 accounts each most of a page's time.
`QuickSelect` renders the same HTML in Python (escaped by `format_html`), for single-choice lists.
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString


def options_html(choices, selected: str) -> SafeString:
    """`<option>` elements of (value, label) choices, optgroups included; `selected` is the value
    chosen (as text). Escaped with the standard library's `html.escape`, as Django's `escape` does."""
    def option(value, label):
        value = "" if value is None else str(value)
        chosen = " selected" if value == selected else ""
        return f'<option value="{escape(value)}"{chosen}>{escape(str(label))}</option>'

    parts = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            parts.append(f'<optgroup label="{escape(str(value))}">{"".join(option(v, lab) for v, lab in label)}'
                         "</optgroup>")
        else:
            parts.append(option(value, label))
    return SafeString("".join(parts))


class QuickSelect(forms.Select):
    """A single-choice `<select>` with the same HTML as Django's `Select`, rendered in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        attributes = self.build_attrs(self.attrs, attrs)
        return format_html("<select name=\"{}\"{}>{}</select>", name, flatatt(attributes),
                           options_html(self.choices, chosen[0] if chosen else ""))


class SharedChoices(BaseChoiceIterator):
    """(value, label) choices given once to every form of a formset. Django keeps an iterator as it
    is, where it would normalise a list again for each form (about 0.5 ms a form for 200 choices)."""

    def __init__(self, choices):
        self.choices = list(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)


def field_options(field) -> SafeString:
    """The `<option>` elements of a bound choice field, its value selected."""
    value = field.value()
    return options_html(field.field.choices, "" if value is None else str(value))
