"""Forms of the prioritization matrix: the editable grid, overrides, action items, filters."""

from django import forms

from oe21.choices import AccountKind, AgeGroup
from oe21.lib.widgets import QuickSelect, SharedChoices
from oe21.models import ActionItem, MarketSegment, Offering
from oe21.reference import naics_sector_choices
from oe21.selectors import team_members

from .models import RATING_MAX, RATING_MIN, Assessment, EstimatedSuccess

RATING_ERROR = f"A rating is a whole number from {RATING_MIN} to {RATING_MAX}."


def rating_field_name(criterion) -> str:
    return f"rating_{criterion.pk}"


class AssessmentRowForm(forms.Form):
    """One row of the grid: an account, the respondent and a 1–5 rating per active criterion.

    A blank rating is allowed (the row is then incomplete); the account and the respondent's
    name are required on any row that has something in it.
    """

    assessment_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)  # of the row, when the grid was read
    account = forms.TypedChoiceField(coerce=int, empty_value=None)
    respondent_name = forms.CharField(max_length=150)
    respondent_role = forms.CharField(max_length=150, required=False)
    respondent_age_group = forms.ChoiceField(choices=[("", "—")] + AgeGroup.choices, required=False)

    def __init__(self, *args, criteria, account_choices: SharedChoices, **kwargs):
        """`account_choices`: `account_choices(...)` of the accounts the row may choose from."""
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.fields["account"].choices = account_choices
        for criterion in criteria:
            self.fields[rating_field_name(criterion)] = forms.IntegerField(
                label=criterion.name, required=False, min_value=RATING_MIN, max_value=RATING_MAX,
                error_messages={"invalid": RATING_ERROR, "min_value": RATING_ERROR,
                                "max_value": RATING_ERROR},
                widget=forms.NumberInput(attrs={"min": RATING_MIN, "max": RATING_MAX,
                                                "inputmode": "numeric", "class": "rating-input"}),
            )

    @staticmethod
    def account_choices(accounts: list[tuple[int, str]]) -> SharedChoices:
        """A row's account list, built once and shared by every row of the grid."""
        return SharedChoices([("", "— choose an account —"), *accounts])

    def ratings(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(rating_field_name(c)) for c in self.criteria}


class BaseAssessmentGridFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = {}
        for index, form in enumerate(self.forms, 1):
            account = form.cleaned_data.get("account")
            if not account:
                continue
            if account in seen:
                form.add_error("account", f"This account is on row {seen[account]} already.")
            seen.setdefault(account, index)


# A page of the grid: at most 50 rated rows and 50 blank ones (prioritization.views.grid).
GRID_MAX_ROWS = 100

AssessmentGridFormSet = forms.formset_factory(
    AssessmentRowForm, formset=BaseAssessmentGridFormSet, extra=0, max_num=GRID_MAX_ROWS,
    validate_max=True, absolute_max=GRID_MAX_ROWS,
)


class GridFilterForm(forms.Form):
    """Which accounts the grid shows: by market segment, kind, owner or a part of the name."""

    q = forms.CharField(label="Account name", required=False, max_length=100)
    segment = forms.ModelChoiceField(queryset=MarketSegment.objects.filter(parent__isnull=True), required=False,
                                     widget=QuickSelect)
    kind = forms.ChoiceField(choices=[("", "Any kind")] + AccountKind.choices, required=False, widget=QuickSelect)
    owner = forms.ModelChoiceField(queryset=team_members(), required=False, widget=QuickSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = ("form-select form-select-sm" if isinstance(field.widget, forms.Select)
                                           else "form-control form-control-sm")

    def apply(self, accounts):
        """The accounts that match; a value that is not valid is ignored (the form shows why)."""
        if not self.is_bound or not self.is_valid():
            return accounts
        data = self.cleaned_data
        if data["q"]:
            accounts = accounts.filter(name__icontains=data["q"])
        if data["segment"]:
            accounts = accounts.filter(MarketSegment.with_groups_q(data["segment"]))
        if data["kind"]:
            accounts = accounts.filter(kind=data["kind"])
        if data["owner"]:
            accounts = accounts.filter(owner=data["owner"])
        return accounts


class SuccessOverrideForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["success_override", "override_reason"]
        labels = {"success_override": "Override estimated success",
                  "override_reason": "Reason"}
        widgets = {"override_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["success_override"].choices = [("", "No override (use the computed value)")] + \
            EstimatedSuccess.choices

    def clean(self):
        data = super().clean()
        if data.get("success_override") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", "Give the reason for the override.")
        return data


class ActionPlanItemForm(forms.ModelForm):
    """A task on an assessment's action plan."""

    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}),
                   "due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_members()


class MatrixFilterForm(forms.Form):
    segment = forms.ModelChoiceField(queryset=MarketSegment.objects.select_related("parent"),
                                     required=False, widget=QuickSelect)
    offering = forms.ModelChoiceField(queryset=Offering.objects.all(), required=False, widget=QuickSelect)
    sector = forms.ChoiceField(label="NAICS sector", required=False, widget=QuickSelect)
    band = forms.ChoiceField(label="Estimated success", required=False, widget=QuickSelect,
                             choices=[("", "Any")] + EstimatedSuccess.choices)
    to_review = forms.BooleanField(label="High-value, not reviewed", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "Any")] + naics_sector_choices()
        for field in self.fields.values():
            if not isinstance(field, forms.BooleanField):
                field.widget.attrs["class"] = "form-select form-select-sm"


def weight_field_name(criterion) -> str:
    return f"weight_{criterion.pk}"


class WeightsVersionForm(forms.Form):
    """A new weights version: a weight per active criterion and a note (#17)."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the newest version when read
    note = forms.CharField(max_length=300, required=False,
                           help_text="Why these weights, e.g. “calibrated on FY2026's outcomes”.")

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[weight_field_name(criterion)] = forms.DecimalField(
                label=criterion.name, min_value=0, max_value=999.99, decimal_places=2, max_digits=5,
                help_text=criterion.description or None)

    def weights(self) -> dict[int, object]:
        return {c.pk: self.cleaned_data[weight_field_name(c)] for c in self.criteria}
