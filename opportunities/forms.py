"""Forms of Tasks 3.2.2–3.2.3."""

from django import forms

from oe21.lib.forms import VersionedForm, account_and_contact_choices, portal_form_helper
from oe21.lib.uploads import check_upload
from oe21.lib.widgets import QuickSelect
from oe21.models import Account, Contact, MarketSegment, Offering
from oe21.selectors import salespeople, team_members

from .choices import ENGAGEMENT_STEPS, LeadSource, Status, StatusReason, TextKind, TouchMedium
from .models import CampaignItem, Opportunity, Proposal, Touch


def _date(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs})


class _Helper:
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = portal_form_helper(submit_label=self.submit_label)


class CampaignCreateForm(forms.Form):
    segment = forms.ModelChoiceField(queryset=MarketSegment.objects.filter(parent__isnull=True),
                                     help_text="The market segment the campaign focuses on.")


ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class CampaignItemForm(_Helper, VersionedForm, forms.ModelForm):
    class Meta:
        model = CampaignItem
        fields = ["owner", "due_on", "done_on", "notes", "attachment"]
        widgets = {"due_on": _date(), "done_on": _date(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_members()

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):  # a new upload (not the file kept from before)
            check_upload(upload, max_bytes=ATTACHMENT_MAX_BYTES)
        return upload


class CampaignTargetForm(forms.Form):
    """Add an account to a campaign's targets, or change whom the campaign reaches there."""

    account = forms.ModelChoiceField(queryset=Account.objects.all())
    contact = forms.ModelChoiceField(queryset=Contact.objects.all(), required=False,
                                     help_text="Whom the campaign reaches at this account (the contact list, T4).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        account_and_contact_choices(self)


class EngagementTextForm(_Helper, forms.Form):
    submit_label = "Save as a new version"
    segment = forms.ModelChoiceField(queryset=MarketSegment.objects.select_related("parent"),
                                     help_text="A market segment or one of its customer groups.")
    kind = forms.ChoiceField(choices=TextKind.choices)
    touch_number = forms.IntegerField(required=False, min_value=1, max_value=50,
                                      help_text="For touch content: Touch 1, 2, …")
    medium = forms.ChoiceField(choices=[("", "—")] + TouchMedium.choices, required=False,
                               help_text="For touch content: how the touch is delivered.")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == TextKind.TOUCH:
            if not data.get("touch_number"):
                self.add_error("touch_number", "Touch content needs its touch number.")
            if not data.get("medium"):
                self.add_error("medium", "Touch content needs its medium.")
        else:
            data["touch_number"], data["medium"] = 0, ""
        return data


class OpportunityForm(_Helper, VersionedForm, forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = ["salesperson", "salesperson_role", "offering", "lead_source", "account", "contact"] + \
            [name for name, _ in ENGAGEMENT_STEPS]
        widgets = {name: _date() for name, _ in ENGAGEMENT_STEPS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["salesperson"].queryset = salespeople()
        self.fields["offering"].queryset = Offering.objects.filter(status="active")
        self.fields["contact"].queryset = Contact.objects.select_related("account")
        self.fields["account"].queryset = Account.objects.all()
        account_and_contact_choices(self)

    def clean(self):
        data = super().clean()
        contact, account = data.get("contact"), data.get("account")
        if contact and account and contact.account_id != account.pk:
            self.add_error("contact", "This contact works at another account.")
        return data


class OpportunityCreateForm(OpportunityForm):
    status = forms.ChoiceField(choices=Status.choices, initial=Status.NO_PROGRESS)
    status_reason = forms.ChoiceField(choices=[("", "—")] + StatusReason.choices, required=False,
                                      label="Reason (for No progress, Unsubscribed, Not interested)")
    status_reason_text = forms.CharField(required=False, label="Reason text")


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    reason = forms.ChoiceField(choices=[("", "—")] + StatusReason.choices, required=False)
    reason_text = forms.CharField(required=False, max_length=300)


class StepsForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = [name for name, _ in ENGAGEMENT_STEPS]
        widgets = {name: _date(**{"class": "form-control form-control-sm"}) for name, _ in ENGAGEMENT_STEPS}


class TouchForm(forms.ModelForm):
    class Meta:
        model = Touch
        fields = ["occurred_on", "channel", "direction", "outcome", "note"]
        widgets = {"occurred_on": _date(), "note": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) \
                else "form-control form-control-sm"
            field.widget.attrs["class"] = css


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["sent_on", "offering", "value", "outcome", "note"]
        widgets = {"sent_on": _date()}
        error_messages = {"value": {"invalid": "Enter the value as a number, e.g. 12500.00.",
                                    "min_value": "A proposal's value cannot be negative."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = Offering.objects.exclude(status="discontinued")
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) \
                else "form-control form-control-sm"
            field.widget.attrs["class"] = css


class ProposalOutcomeForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["outcome"]


class CommentForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                           max_length=2000)


class OpportunityFilterForm(forms.Form):
    salesperson = forms.ModelChoiceField(queryset=salespeople(), required=False, label="Owner", widget=QuickSelect)
    offering = forms.ModelChoiceField(queryset=Offering.objects.all(), required=False, widget=QuickSelect)
    segment = forms.ModelChoiceField(queryset=MarketSegment.objects.filter(parent__isnull=True),
                                     required=False, widget=QuickSelect)
    lead_source = forms.ChoiceField(choices=[("", "Any")] + LeadSource.choices, required=False, widget=QuickSelect)
    status = forms.ChoiceField(choices=[("", "Any")] + Status.choices, required=False, widget=QuickSelect)
    created_from = forms.DateField(required=False, widget=_date(), label="Created from")
    created_to = forms.DateField(required=False, widget=_date(), label="Created to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm"
                                          if isinstance(field.widget, forms.Select)
                                          else "form-control form-control-sm")

    def clean(self):
        data = super().clean()
        if data.get("created_from") and data.get("created_to") and data["created_from"] > data["created_to"]:
            self.add_error("created_to", "The end date is before the start date.")
        return data

    def apply(self, queryset):
        """Filter the opportunities: by owner, offering, segment (with groups), source, status, date."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data

        if data["salesperson"]:
            queryset = queryset.filter(salesperson=data["salesperson"])
        if data["offering"]:
            queryset = queryset.filter(offering=data["offering"])
        if data["segment"]:
            queryset = queryset.filter(MarketSegment.with_groups_q(data["segment"], "account__segment"))
        if data["lead_source"]:
            queryset = queryset.filter(lead_source=data["lead_source"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["created_from"]:
            queryset = queryset.filter(created_at__date__gte=data["created_from"])
        if data["created_to"]:
            queryset = queryset.filter(created_at__date__lte=data["created_to"])
        return queryset


class OpportunityListForm(OpportunityFilterForm):
    """The Opportunity Manager's filters, and its sort order."""

    # How a list of opportunities can be sorted; the first is the default. Most recently changed
    # first reads an index, so the first page is quick at any size.
    SORTS = {
        "recent": ("Recently changed", ["-updated_at", "-pk"]),
        "account": ("Account", ["account__name", "offering__name", "pk"]),
        "offering": ("Offering", ["offering__name", "account__name", "pk"]),
        "status": ("Status", ["status", "-updated_at", "-pk"]),
        "touches": ("Most touches out", ["-n_out", "-pk"]),
        "salesperson": ("Salesperson", ["salesperson__first_name", "salesperson__last_name", "-pk"]),
    }
    # Each sort but the default also reversed ("-account"): a column header's second click.
    SORTS.update({f"-{key}": (f"{label} (reversed)", [f[1:] if f.startswith("-") else f"-{f}" for f in fields])
                  for key, (label, fields) in list(SORTS.items()) if key != "recent"})
    sort = forms.ChoiceField(choices=[(key, label) for key, (label, _) in SORTS.items()], required=False,
                             label="Sort by")

    def apply(self, queryset):
        queryset = super().apply(queryset)
        sort = self.cleaned_data.get("sort") if self.is_valid() else ""
        return queryset.order_by(*self.SORTS[sort or "recent"][1])


class ActionItemForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}))
    owner = forms.ModelChoiceField(queryset=team_members(), required=False,
                                   widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    due_on = forms.DateField(label="Due", required=False, widget=_date(**{"class": "form-control form-control-sm"}))
