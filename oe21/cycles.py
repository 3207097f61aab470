"""Which engagement cycle a page shows, and the rule that a closed cycle is read-only (SPEC §2).

- A page of the standard shows the current cycle unless the reader picked another with
  `?cycle=<id>` (remembered for the session; `?cycle=current` goes back). `cycle_choice(request)`
  reads every cycle once — they are few — so the page's selector costs no extra query.
- Records of a closed cycle can be read, not changed: each app registers its cycle-bound models
  (`registry.register_cycle_bound`), and a save or delete of one of them whose cycle is not the
  current one raises a ValidationError — in a view, a service, an import or the admin alike.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete, pre_save
from django.http import Http404

from .models import EngagementCycle

SESSION_KEY = "oe21_cycle"


@dataclass
class CycleChoice:
    selected: EngagementCycle | None
    cycles: list[EngagementCycle]

    @property
    def is_past(self) -> bool:
        """A closed cycle is shown: the page hides its edit controls."""
        return self.selected is not None and not self.selected.is_current

    @property
    def editable(self) -> bool:
        return self.selected is not None and self.selected.is_current


def cycle_choice(request) -> CycleChoice:
    """The cycle a page shows (see the module's docstring); an unknown ?cycle= is a 404."""
    if hasattr(request, "cycle_choice"):
        return request.cycle_choice
    cycles = list(EngagementCycle.objects.order_by("-starts_on"))
    current = next((c for c in cycles if c.is_current), None)
    wanted = request.GET.get("cycle")
    if wanted == "current":
        request.session.pop(SESSION_KEY, None)
        wanted = None
    elif wanted is not None:
        if not wanted.isdigit() or not any(c.pk == int(wanted) for c in cycles):
            raise Http404("There is no such engagement cycle.")
        if current is None or int(wanted) != current.pk:
            request.session[SESSION_KEY] = int(wanted)
        else:
            request.session.pop(SESSION_KEY, None)
    remembered = int(wanted) if wanted else request.session.get(SESSION_KEY)
    selected = next((c for c in cycles if c.pk == remembered), current)
    request.cycle_choice = CycleChoice(selected, cycles)
    return request.cycle_choice


def selected_cycle_or_404(request) -> EngagementCycle:
    choice = cycle_choice(request)
    if choice.selected is None:
        raise Http404("There is no current engagement cycle.")
    return choice.selected


class ClosedCycle(ValidationError):
    def __init__(self, cycle: EngagementCycle):
        super().__init__(f"{cycle} is closed: its records can be read, not changed.", code="closed_cycle")


def check_cycle_open(cycle: EngagementCycle) -> None:
    """Refuse a change to a closed cycle's records, with a message that says why (read from the
    database: a copy loaded before the next cycle opened may still say it is current)."""
    if not EngagementCycle.objects.filter(pk=cycle.pk, is_current=True).exists():
        raise ClosedCycle(cycle)


# The guard on cycle-bound models ---------------------------------------------------------------

_bound: dict[type, str] = {}  # model → path from it to its cycle ("cycle", "opportunity__cycle")


def guard(model, via: str) -> None:
    _bound[model] = via
    pre_save.connect(_refuse_closed_cycle, sender=model, dispatch_uid=f"cycle-guard-{model._meta.label}")
    pre_delete.connect(_refuse_closed_cycle, sender=model, dispatch_uid=f"cycle-guard-del-{model._meta.label}")


def _cycle_of(instance) -> EngagementCycle | None:
    first, _, rest = _bound[type(instance)].partition("__")
    key = getattr(instance, f"{first}_id")
    if key is None:
        return None
    if not rest:  # the model's own cycle
        return EngagementCycle.objects.filter(pk=key).first()
    parent = type(instance)._meta.get_field(first).related_model  # e.g. a touch's opportunity
    return EngagementCycle.objects.filter(pk__in=parent.objects.filter(pk=key).values(rest)).first()


def in_closed_cycle(instance) -> bool:
    """Whether a record of a cycle-bound model belongs to a closed cycle (False for other models)."""
    if type(instance) not in _bound or instance.pk is None:
        return False
    cycle = _cycle_of(instance)
    return cycle is not None and not cycle.is_current


class ReadOnlyWhenClosedAdmin:
    """For the admin of a cycle-bound model: a closed cycle's records open read-only there too."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and in_closed_cycle(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and in_closed_cycle(obj))


def _refuse_closed_cycle(sender, instance, **kwargs):
    if kwargs.get("raw"):  # fixtures and loaddata
        return
    cycle = _cycle_of(instance)  # fresh from the database
    if cycle is not None and not cycle.is_current:
        raise ClosedCycle(cycle)
