"""List, detail, create, edit and History views shared by the record pages of every app.

Each view checks the role's model permission (a viewer reads, and gets 403 on any edit);
create and edit call the shared `model_create` / `model_update` services, which run the
model's full validation.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, ListView

from ..audit import record_history
from ..lib.forms import VERSION, add_service_errors
from .records import model_create, model_update


class _RecordPermission(PermissionRequiredMixin):
    raise_exception = True
    action = "view"

    def get_permission_required(self):
        meta = self.model._meta
        return [f"{meta.app_label}.{self.action}_{meta.model_name}"]

    def get_context_data(self, **kwargs):
        meta = self.model._meta
        user = self.request.user
        return super().get_context_data(
            model_meta=meta,
            can_add=user.has_perm(f"{meta.app_label}.add_{meta.model_name}"),
            can_change=user.has_perm(f"{meta.app_label}.change_{meta.model_name}"),
            **kwargs,
        )


class RecordListView(_RecordPermission, ListView):
    paginate_by = 50
    filterset_class = None

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.filterset_class:
            self.filterset = self.filterset_class(self.request.GET, queryset=queryset)
            return self.filterset.qs
        return queryset

    def get_context_data(self, **kwargs):
        querystring = self.request.GET.copy()
        querystring.pop("page", None)
        return super().get_context_data(
            filter=getattr(self, "filterset", None), querystring=querystring.urlencode(), **kwargs
        )


class RecordDetailView(_RecordPermission, DetailView):
    pass


class RecordHistoryView(_RecordPermission, DetailView):
    template_name = "oe21/record_history.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(entries=record_history(self.object), **kwargs)


class _RecordFormView(_RecordPermission, FormView):
    template_name = "oe21/record_form.html"

    def form_valid(self, form):
        try:
            record = self.save_record(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.model._meta.verbose_name.capitalize()} “{record}” saved.")
        return redirect(record)


class RecordCreateView(_RecordFormView):
    action = "add"

    def save_record(self, data):
        return model_create(self.model, data=_without_m2m(self.model, data))


class RecordUpdateView(_RecordFormView):
    action = "change"

    def get_form_kwargs(self):
        self.object = get_object_or_404(self.model, pk=self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())  # loads self.object
        return super().get_context_data(object=self.object, **kwargs)

    def save_record(self, data):
        # The ModelForm has already copied the input onto self.object while validating, so
        # the update starts from the stored record to save exactly the fields that changed; it is
        # refused when somebody saved the record after this form was read.
        version = data.pop(VERSION, None) or None
        stored = self.model._default_manager.get(pk=self.object.pk)
        stored._history_user = self.request.user
        record, _ = model_update(stored, data=_without_m2m(self.model, data), version=version)
        return record


def _without_m2m(model, data):
    m2m = {f.name for f in model._meta.many_to_many}
    return {k: v for k, v in data.items() if k not in m2m}
