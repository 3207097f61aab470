"""Between the editable grid's formset and the matrix services."""

from django.core.exceptions import ValidationError

from oe21.lib.records import version_of

from .forms import rating_field_name
from .services import AssessmentInput


def grid_initial(existing, criteria) -> list[dict]:
    """Initial data of the grid: one row per existing assessment (blank rows follow)."""
    initial = []
    for assessment in existing:
        values = {r.criterion_id: r.value for r in assessment.ratings.all()}
        row = {"assessment_id": assessment.pk, "version": version_of(assessment), "account": assessment.account_id,
               "respondent_name": assessment.respondent_name,
               "respondent_role": assessment.respondent_role,
               "respondent_age_group": assessment.respondent_age_group}
        row.update({rating_field_name(c): values.get(c.pk) for c in criteria})
        initial.append(row)
    return initial


def grid_rows(formset, existing, accounts_by_id) -> list[AssessmentInput]:
    """The filled rows of a valid grid as service input; a forged row id is refused."""
    by_id = {a.pk: a for a in existing}
    by_account = {a.account_id: a for a in existing}
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or not data.get("account"):
            continue
        assessment = None
        if data.get("assessment_id"):
            assessment = by_id.get(data["assessment_id"])
            if assessment is None:
                raise ValidationError("A row refers to an assessment of another matrix; reload the page.")
        elif data["account"] in by_account:
            raise ValidationError(
                f"{accounts_by_id[data['account']]} is assessed for this offering already: "
                "edit its row instead of adding one.")
        rows.append(AssessmentInput(
            account=accounts_by_id[data["account"]], respondent_name=data["respondent_name"],
            respondent_role=data["respondent_role"], respondent_age_group=data["respondent_age_group"],
            ratings=form.ratings(), assessment=assessment, version=data.get("version") or None))
    return rows
