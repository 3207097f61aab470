"""Forms of the shared model. Forms validate; crispy's FormHelper only lays them out."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q

from . import roles, search
from .lib.forms import VersionedForm, portal_form_helper
from .lib.spreadsheets import FORMATS
from .models import Account, Contact, MarketSegment, Offering
from .selectors import members_with_roles


class _CrispyModelForm(VersionedForm, forms.ModelForm):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = portal_form_helper(submit_label=self.submit_label)


class AccountForm(_CrispyModelForm):
    class Meta:
        model = Account
        fields = ["name", "kind", "naics_code", "zip_code", "segment", "lifecycle_stage", "owner", "annual_spend"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Retired segments are not offered, except the one the account is in already.
        self.fields["segment"].queryset = MarketSegment.objects.select_related("parent").filter(
            Q(is_active=True) | Q(pk=self.instance.segment_id or 0))
        # The owner is a CFT member (or the chair, who may do all a CFT member does).
        self.fields["owner"].queryset = members_with_roles(roles.CFT_MEMBER, roles.LFT_CHAIR)


class ContactForm(_CrispyModelForm):
    class Meta:
        model = Contact
        fields = ["account", "name", "title", "age_group", "email", "phone", "decision_role"]


class SegmentForm(_CrispyModelForm):
    class Meta:
        model = MarketSegment
        fields = ["name", "parent", "description", "is_active"]
        labels = {"parent": "Market segment (for a customer group)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A group sits in a market segment, never in another group; a segment that has groups stays one.
        self.fields["parent"].queryset = MarketSegment.objects.filter(parent__isnull=True).exclude(
            pk=self.instance.pk or 0)
        if self.instance.pk and self.instance.groups.exists():
            self.fields["parent"].disabled = True
            self.fields["parent"].help_text = "It has customer groups, so it stays a market segment."


class OfferingForm(_CrispyModelForm):
    class Meta:
        model = Offering
        fields = ["name", "kind", "description", "status", "price", "unit"]


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(help_text="A .csv (UTF-8) or .xlsx file whose first line names the columns.")

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.helper = portal_form_helper("upload", "Import")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(tuple(f".{f}" for f in FORMATS)):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The file is larger than the limit of {self.max_bytes // (1024 * 1024)} MB."
            )
        return upload


class SearchForm(forms.Form):
    """The menu's search box: at least two letters or digits, at most 200 characters."""

    q = forms.CharField(label="Search", max_length=search.MAX_LENGTH, strip=True,
                        error_messages={"max_length": "Search for at most %(limit_value)d characters "
                                                      "(this is %(show_value)d)."})

    def clean_q(self):
        terms = search.SearchTerms.parse(self.cleaned_data["q"])
        if sum(len(word) for word in terms.words) < search.MIN_LENGTH:
            raise forms.ValidationError(f"Type at least {search.MIN_LENGTH} letters or digits.")
        return terms


class MilestoneSubmitForm(forms.Form):
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows that the milestone is reached (documents, pages, figures).",
    )


class PortalAuthenticationForm(AuthenticationForm):
    """Sign-in to the web portal: an account that reads the REST API only (the PMS client's) is
    refused here, with a clear message, rather than signed in to pages it may not open."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.has_perm(roles.PORTAL_PERMISSION):
            raise forms.ValidationError(
                "This account reads the REST API with a token; it cannot sign in to the portal.",
                code="api_only")


class ApprovalDecisionForm(forms.Form):
    """The chair's decision on a milestone or a proposal: an explicit choice, and a reason to reject."""

    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(choices=[(APPROVE, "Approve"), (REJECT, "Reject")])
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when rejecting.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for the rejection.")
        return data


class CycleOpenForm(forms.Form):
    """Open an engagement cycle: its name and dates, what continues into it, and — while a
    milestone of the current cycle waits for approval — a confirmation."""

    name = forms.CharField(max_length=50, help_text="For example FY2028.")
    starts_on = forms.DateField(label="Starts on", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Ends on", widget=forms.DateInput(attrs={"type": "date"}))
    carry = forms.MultipleChoiceField(label="Carry forward from the current cycle", required=False,
                                      widget=forms.CheckboxSelectMultiple)
    confirmed = forms.BooleanField(label="Open it although a milestone waits for approval", required=False)

    def __init__(self, *args, **kwargs):
        from .registry import carry_forward_steps

        super().__init__(*args, **kwargs)
        steps = carry_forward_steps()
        self.fields["carry"].choices = [(step.key, step.label) for step in steps]
        self.fields["carry"].initial = [step.key for step in steps]  # every line ticked by default

    def clean(self):
        from .services import cycle_open_problems

        data = super().clean()
        if not self.errors:
            for field, message in cycle_open_problems(name=data["name"], starts_on=data["starts_on"],
                                                      ends_on=data["ends_on"], confirmed=data["confirmed"]).items():
                self.add_error(field, message)
        return data
