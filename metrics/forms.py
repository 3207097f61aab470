"""Forms of Tasks 3.2.8–3.2.9."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from oe21.lib.forms import VersionedForm, account_and_contact_choices, portal_form_helper
from oe21.lib.spreadsheets import parse_month
from oe21.lib.widgets import QuickSelect
from oe21.models import MarketSegment, Offering
from oe21.selectors import cft_team, team_members
from oe21.validators import validate_not_future
from oe21.words import person

from .choices import MeasureKind
from .models import Complaint, CustomerRating, IntendedOutcome, Measure


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError("Enter a month as YYYY-MM.")
        return month


def _date():
    return forms.DateInput(attrs={"type": "date"})


class MeasureForm(VersionedForm, forms.ModelForm):
    """A KRI or KRD as the CFT sets it up. A computed measure's definition (name, kind, unit,
    breakdown) is fixed by its computation; its target, direction, owner and selection are not."""

    DEFINITION = ["name", "kind", "unit", "frequency", "breakdown"]

    class Meta:
        model = Measure
        fields = ["name", "kind", "unit", "direction", "target", "owner", "frequency", "breakdown", "is_selected",
                  "description"]

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_members()
        self.fields["target"].help_text = "In the measure's unit; leave empty for no target."
        if self.instance.pk and self.instance.is_computed:
            for name in self.DEFINITION:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Set by its computation."
        self.helper = portal_form_helper(submit_label="Save")


class EntryForm(forms.Form):
    measure = forms.ModelChoiceField(queryset=Measure.objects.filter(source="manual"))
    period = MonthField(label="Month")
    offering = forms.ModelChoiceField(queryset=Offering.objects.all(), required=False,
                                      help_text="Only for a measure broken down by offering.")
    segment = forms.ModelChoiceField(queryset=MarketSegment.objects.filter(parent__isnull=True), required=False,
                                     help_text="Only for a measure broken down by segment.")
    value = forms.DecimalField(max_digits=14, decimal_places=4,
                               error_messages={"invalid": "Enter a number."})
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    replace = forms.BooleanField(label="Replace it", required=False,
                                 help_text="The month has a value already: tick to replace it.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.data.get("replace"):
            self.fields["replace"].widget = forms.HiddenInput()  # shown once a value would be replaced

    def add_error(self, field, error):
        super().add_error(field, error)
        if "replace" in (self._errors or {}):  # the service found a value: ask
            self.fields["replace"].widget = forms.CheckboxInput()

    def clean(self):
        data = super().clean()
        if data.get("offering") and data.get("segment"):
            self.add_error("segment", "Give an offering or a segment, not both.")
        return data


class ComplaintForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Complaint
        fields = ["received_on", "account", "offering", "channel", "category", "severity", "description",
                  "root_cause", "corrective_action", "resolved_on"]
        widgets = {"received_on": _date(), "resolved_on": _date(),
                   "description": forms.Textarea(attrs={"rows": 3}),
                   "corrective_action": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        account_and_contact_choices(self)

    def clean(self):
        data = super().clean()
        for name in ("received_on", "resolved_on"):
            add_error_if_future(self, name, data.get(name))
        if data.get("received_on") and data.get("resolved_on") and data["resolved_on"] < data["received_on"]:
            self.add_error("resolved_on", "A complaint cannot be resolved before it was received.")
        return data


def add_error_if_future(form, name: str, value) -> None:
    try:
        validate_not_future(value)
    except ValidationError as exc:
        form.add_error(name, exc)


class RatingForm(forms.ModelForm):
    class Meta:
        model = CustomerRating
        fields = ["rated_on", "account", "contact", "offering", "value", "comment"]
        widgets = {"rated_on": _date(), "comment": forms.Textarea(attrs={"rows": 2}),
                   "value": forms.NumberInput(attrs={"min": 1, "max": 5})}
        error_messages = {"value": {"min_value": "A rating is a whole number from 1 to 5.",
                                    "max_value": "A rating is a whole number from 1 to 5.",
                                    "invalid": "A rating is a whole number from 1 to 5."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        account_and_contact_choices(self)

    def clean(self):
        data = super().clean()
        if data.get("contact") and data.get("account") and data["contact"].account_id != data["account"].pk:
            self.add_error("contact", "This contact works at another account.")
        add_error_if_future(self, "rated_on", data.get("rated_on"))
        return data


class IntendedOutcomeForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = IntendedOutcome
        fields = ["title", "description", "owner", "indicators"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "indicators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_members()
        self.fields["owner"].label_from_instance = person
        self.fields["indicators"].queryset = Measure.objects.filter(kind=MeasureKind.KRI).order_by("name")
        self.fields["indicators"].error_messages["required"] = (
            "Link at least one KRI: the outcome is shown by the KRIs that measure it.")
        self.helper = portal_form_helper(submit_label="Save the outcome")


class ReviewMeetingForm(forms.Form):
    held_on = forms.DateField(widget=_date(), initial=datetime.date.today)
    present = forms.ModelMultipleChoiceField(
        queryset=cft_team(), required=False, widget=forms.CheckboxSelectMultiple, label="CFT members present",
        help_text="Milestone 7 asks that more than half of the CFT attends each month's review.")
    attendees = forms.CharField(label="Others present", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decisions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].label_from_instance = person  # people by name

    def clean(self):
        data = super().clean()
        if not data.get("present") and not data.get("attendees", "").strip():
            self.add_error("present", "Say who attended: tick the CFT members present, or name the others.")
        return data

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > datetime.date.today():
            raise forms.ValidationError("A review is recorded once it has been held.")
        return held_on


class FollowUpForm(forms.Form):
    description = forms.CharField(max_length=300, required=False)
    owner = forms.ModelChoiceField(
        queryset=team_members(), required=False)
    due_on = forms.DateField(widget=_date(), required=False)

    def clean(self):
        data = super().clean()
        if (data.get("owner") or data.get("due_on")) and not data.get("description"):
            self.add_error("description", "Describe the follow-up task.")
        return data


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=3, max_num=20)


class DashboardForm(forms.Form):
    month = MonthField(required=False)
    months = forms.TypedChoiceField(choices=[(12, "12 months"), (24, "24 months"), (36, "36 months")],
                                    coerce=int, required=False, empty_value=12, label="Trend", widget=QuickSelect)
    offering = forms.ModelChoiceField(queryset=Offering.objects.all(), required=False, widget=QuickSelect)
    segment = forms.ModelChoiceField(queryset=MarketSegment.objects.filter(parent__isnull=True), required=False,
                                     widget=QuickSelect)

    def clean(self):
        data = super().clean()
        if data.get("offering") and data.get("segment"):
            self.add_error("segment", "Filter by an offering or a segment, not both.")
        return data


class SampleSizeForm(forms.Form):
    population = forms.IntegerField(required=False, help_text="Leave empty when unknown or very large.")
    confidence = forms.TypedChoiceField(choices=[(90, "90 %"), (95, "95 %"), (99, "99 %")], coerce=int, initial=95)
    margin_of_error = forms.DecimalField(initial=5, max_digits=5, decimal_places=2, label="Margin of error (%)")
    proportion = forms.DecimalField(initial=Decimal("0.5"), max_digits=4, decimal_places=3,
                                    label="Expected proportion", help_text="0.5 when unknown (the safest).")
    response_rate = forms.DecimalField(required=False, max_digits=5, decimal_places=2,
                                       label="Expected response rate (%)")


class SurveyCreateForm(forms.Form):
    title = forms.CharField(max_length=150, initial="Customer engagement and loyalty survey")
    offering = forms.ModelChoiceField(queryset=Offering.objects.all(), required=False)
    segment = forms.ModelChoiceField(queryset=MarketSegment.objects.filter(parent__isnull=True), required=False,
                                     help_text="Survey every contact of this segment and its groups …")
    # Names, not a list of every account: an organisation has thousands.
    accounts = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               help_text="… or the contacts of these accounts: one account name per line.")
    competitors = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  help_text="Competitors to compare with, one per line.")
    confidence = forms.TypedChoiceField(choices=[(90, "90 %"), (95, "95 %"), (99, "99 %")], coerce=int, initial=95)
    margin_of_error = forms.DecimalField(initial=Decimal("0.05"), min_value=Decimal("0.001"),
                                         max_value=Decimal("0.5"), decimal_places=3)

    MAX_ACCOUNTS = 500

    def clean_accounts(self):
        from oe21.models import Account

        names = list(dict.fromkeys(n.strip() for n in self.cleaned_data["accounts"].splitlines() if n.strip()))
        if len(names) > self.MAX_ACCOUNTS:
            raise forms.ValidationError(f"At most {self.MAX_ACCOUNTS} accounts at once; choose a segment for more.")
        found = {a.name.lower(): a for a in Account.objects.annotate(lower_name=Lower("name"))
                 .filter(lower_name__in=[n.lower() for n in names])}
        unknown = [n for n in names if n.lower() not in found]
        if unknown:
            raise forms.ValidationError("There is no account named " + ", ".join(f"“{n}”" for n in unknown[:10])
                                        + (" …" if len(unknown) > 10 else "") + ".")
        return list(found.values())

    def clean(self):
        data = super().clean()
        if not data.get("segment") and not data.get("accounts"):
            self.add_error("segment", "Choose a segment or some accounts.")
        return data


SCORE_1_5 = [(i, str(i)) for i in range(1, 6)]


class SurveyAnswerForm(forms.Form):
    overall_satisfaction = forms.TypedChoiceField(label="Overall, how satisfied are you with us?", coerce=int,
                                                  choices=SCORE_1_5, widget=forms.RadioSelect)
    recommend = forms.TypedChoiceField(label="How likely are you to recommend us to a colleague? (0–10)",
                                       coerce=int, choices=[(i, str(i)) for i in range(11)], widget=forms.RadioSelect)
    buy_again = forms.TypedChoiceField(label="How likely are you to buy from us again?", coerce=int,
                                       choices=SCORE_1_5, widget=forms.RadioSelect)
    confidence = forms.TypedChoiceField(label="We are a name you can always trust.", coerce=int,
                                        choices=SCORE_1_5, widget=forms.RadioSelect)
    integrity = forms.TypedChoiceField(label="We always treat you fairly.", coerce=int, choices=SCORE_1_5,
                                       widget=forms.RadioSelect)
    pride = forms.TypedChoiceField(label="You are proud to be our customer.", coerce=int, choices=SCORE_1_5,
                                   widget=forms.RadioSelect)
    passion = forms.TypedChoiceField(label="We are the perfect partner for organisations like yours.", coerce=int,
                                     choices=SCORE_1_5, widget=forms.RadioSelect)

    def __init__(self, *args, competitors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_names = list(self.fields)
        for name in self.item_names:
            self.fields[f"why_{name}"] = forms.CharField(label="Why this score?", required=False, max_length=1000,
                                                         widget=forms.Textarea(attrs={"rows": 1}))
        self.competitors = list(competitors)
        for index, competitor in enumerate(self.competitors):
            self.fields[f"competitor_{index}"] = forms.ChoiceField(
                label=f"Compared with {competitor}, we are…", required=False, widget=forms.RadioSelect,
                choices=[("better", "better"), ("same", "about the same"), ("worse", "worse")])

    def items(self):
        return [(self[name], self[f"why_{name}"]) for name in self.item_names]

    def competitor_fields(self):
        return [self[f"competitor_{i}"] for i in range(len(self.competitors))]

    def answers(self):
        return {name: self.cleaned_data[name] for name in self.item_names}

    def reasons(self):
        return {name: self.cleaned_data[f"why_{name}"].strip() for name in self.item_names}

    def comparison(self):
        return {c: self.cleaned_data[f"competitor_{i}"] for i, c in enumerate(self.competitors)
                if self.cleaned_data.get(f"competitor_{i}")}


class BusinessCaseForm(forms.Form):
    month = MonthField(required=False, help_text="The last of the twelve months.")
