"""Forms of the shared model. Forms validate; crispy's FormHelper only lays them out."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from . import roles
from .lib.spreadsheets import FORMATS
from .models import Account, Contact, MarketSegment, Offering
from .selectors import members_with_roles


class _CrispyModelForm(forms.ModelForm):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", self.submit_label))


class AccountForm(_CrispyModelForm):
    class Meta:
        model = Account
        fields = ["name", "kind", "naics_code", "zip_code", "segment", "lifecycle_stage", "owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = MarketSegment.objects.select_related("parent")
        # The owner is a CFT member (or the chair, who may do all a CFT member does).
        self.fields["owner"].queryset = members_with_roles(roles.CFT_MEMBER, roles.LFT_CHAIR)


class ContactForm(_CrispyModelForm):
    class Meta:
        model = Contact
        fields = ["account", "name", "title", "age_group", "email", "phone", "decision_role"]


class OfferingForm(_CrispyModelForm):
    class Meta:
        model = Offering
        fields = ["name", "kind", "description", "status", "price", "unit"]


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(help_text="A .csv (UTF-8) or .xlsx file whose first line names the columns.")

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.helper = FormHelper()
        self.helper.add_input(Submit("upload", "Import"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(tuple(f".{f}" for f in FORMATS)):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The file is larger than the limit of {self.max_bytes // (1024 * 1024)} MB."
            )
        return upload


class MilestoneSubmitForm(forms.Form):
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows that the milestone is reached (documents, pages, figures).",
    )


class MilestoneDecisionForm(forms.Form):
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
