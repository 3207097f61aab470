"""Forms of Tasks 3.2.4–3.2.7."""

from django import forms
from django.urls import reverse

from oe21.lib.forms import VersionedForm, bounded_choices
from oe21.models import Account, Team

from .choices import Decision, DocumentKind, PlanTaskStatus
from .models import ActionPlanTask, CompetitorComparison, OfferingCost, RequirementSpec


class SpecForm(forms.ModelForm):
    class Meta:
        model = RequirementSpec
        fields = ["offering_type", "requirements", "order_quantities", "desired_cycle_time", "desired_cost",
                  "competitor_cost", "quality_requirements", "organisational_profile", "strategic_action_plans",
                  "voice_of_customer", "value_rating"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ["requirements", "quality_requirements", "strategic_action_plans", "voice_of_customer"]}
        error_messages = {"value_rating": {"min_value": "A value rating is from 1 to 5.",
                                           "max_value": "A value rating is from 1 to 5."}}


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices)
    file = forms.FileField()


class CompetitorComparisonForm(forms.ModelForm):
    class Meta:
        model = CompetitorComparison
        fields = ["competitor", "position", "price_note", "performance_note"]


class DistributionForm(forms.Form):
    """Who received a document version: focus teams (work units) and/or an account (a customer,
    prospect or key stakeholder), searched by name."""

    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.all(), widget=forms.CheckboxSelectMultiple,
                                           required=False)
    account = forms.ModelChoiceField(queryset=Account.objects.all(), required=False,
                                     label="Customer, prospect or stakeholder",
                                     error_messages={"invalid_choice": "There is no such account."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bounded_choices(self, "account", lookup_url=reverse("account_lookup"))
        self.fields["account"].widget.attrs["class"] = "form-select form-select-sm mb-1"

    def clean(self):
        data = super().clean()
        if not data.get("teams") and not data.get("account") and not self.errors:
            raise forms.ValidationError("Choose a team or an account that received it.")
        return data


class CostForm(forms.ModelForm):
    period = forms.DateField(widget=forms.TextInput(attrs={"type": "month"}), input_formats=["%Y-%m", "%Y-%m-%d"],
                             help_text="The month (YYYY-MM).")

    class Meta:
        model = OfferingCost
        fields = ["offering", "period", "revenue", "cost_of_goods_sold", "units", "design_days", "produce_days",
                  "deliver_days", "support_days"]

    def clean_period(self):
        return self.cleaned_data["period"].replace(day=1)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class PlanTaskForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ActionPlanTask
        fields = ["description", "owner", "resources", "start_on", "due_on", "budget", "measure"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}),
                   "start_on": forms.DateInput(attrs={"type": "date"}),
                   "due_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        if data.get("start_on") and data.get("due_on") and data["due_on"] < data["start_on"]:
            self.add_error("due_on", "The due date is before the start date.")
        return data


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(PlanTaskStatus.APPROVED, "Approved"),
                                        (PlanTaskStatus.IN_PROGRESS, "In progress"),
                                        (PlanTaskStatus.DONE, "Done")])
