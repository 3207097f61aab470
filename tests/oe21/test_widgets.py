from django import forms

from oe21.lib.widgets import QuickSelect, SharedChoices


class Chooser(forms.Form):
    fast = forms.ChoiceField(choices=[("", "Any"), ("1", "A & <b>"), ("Group", [("2", "Two"), ("3", "Three")])],
                             widget=QuickSelect(attrs={"class": "form-select"}), required=False)
    plain = forms.ChoiceField(choices=[("", "Any"), ("1", "A & <b>"), ("Group", [("2", "Two"), ("3", "Three")])],
                              widget=forms.Select(attrs={"class": "form-select"}), required=False)


def _options(html: str) -> list[str]:
    return [part.split(">")[0].replace('selected=""', "selected").split() for part in html.split("<option")[1:]]


def test_a_quick_select_renders_the_options_django_would_with_the_value_chosen_and_text_escaped():
    form = Chooser(data={"fast": "3", "plain": "3"})
    fast, plain = str(form["fast"]), str(form["plain"])
    assert fast.startswith('<select name="fast" class="form-select" id="id_fast">')
    assert ">A &amp; &lt;b&gt;</option>" in fast and "<b>" not in fast
    assert '<option value="3" selected>Three</option>' in fast
    assert '<optgroup label="Group">' in fast
    assert _options(fast) == _options(plain)  # the same values, the same one chosen


def test_shared_choices_are_given_to_many_forms_without_being_copied_into_each():
    choices = SharedChoices([("", "—"), (1, "One")])
    field = forms.TypedChoiceField(coerce=int)
    field.choices = choices
    assert field.choices is choices and list(field.choices) == [("", "—"), (1, "One")]
    assert field.clean("1") == 1
