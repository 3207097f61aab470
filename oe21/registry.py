"""What the task apps contribute to the shared portal, registered by each app.

The shared model (`oe21`) knows no task app: each app registers its contributions from its
`AppConfig.ready()` (or with a decorator in a module that `ready()` imports), the way milestone
completion rules are registered with `oe21.milestones.completion_rule`. The kernel only
iterates these registries:

- `register_api_endpoints(ENDPOINTS)` — the app's REST export endpoints (`/api/v1/<prefix>/`);
- `@demo_step(order)` — one step of `manage.py load_demo_data`, run in `order`;
- `@scale_step(order)` — one step of `manage.py load_scale_data` (a large organisation);
- `@page_panel(page, template=…)` — a panel on a shared page (e.g. the documents of an
  offering on the offering page): the function returns the panel template's context;
- `register_role_rules(app_label, …)` — which of the app's models and permissions each role gets;
- `register_action_source(kind, …)` — a kind of record that action items come from (an
  assessment, an opportunity, a monthly review), with how to name it;
- `register_cycle_bound(model, via)` — a model whose records belong to an engagement cycle
  (directly, `via="cycle"`, or through a parent, `via="opportunity__cycle"`): a closed cycle's
  records are read-only (`oe21.cycles`);
- `@inbox_source(key)` — what waits for a user's decision (or what they submitted and its state),
  for the main page's "Pending approvals": the function gets the user and the cycle shown and
  returns `InboxItem`s;
- `@carry_forward(key, label=…)` — what continues into a new engagement cycle when one opens
  (`oe21.services.cycle_open`): the function gets the previous cycle, the new one and the user,
  and returns how many records it carried;
- `@timeline_kind(key, label=…, permission=…, events=…)` — a kind of event on an account's timeline
  (touches, complaints, ratings…): `events(account)` gives querysets of dated rows, the decorated
  function describes one page of them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# REST export endpoints -------------------------------------------------------------------------

_api_endpoints: list[tuple[str, Any]] = []


def register_api_endpoints(endpoints: Iterable[tuple[str, Any]]) -> None:
    """Add (url prefix, viewset) pairs to the REST export; a prefix is registered once."""
    taken = {prefix for prefix, _ in _api_endpoints}
    for prefix, viewset in endpoints:
        if prefix in taken:
            if (prefix, viewset) in _api_endpoints:
                continue
            raise ValueError(f"The API prefix “{prefix}” is registered already.")
        _api_endpoints.append((prefix, viewset))
        taken.add(prefix)


def api_endpoints() -> list[tuple[str, Any]]:
    return list(_api_endpoints)


# Data set steps: the demo organisation and the scale data set --------------------------------

@dataclass(frozen=True)
class DataStep:
    order: int
    name: str
    run: Callable[["Any"], None]


class _DataSteps:
    """Steps of a command that fills the database; each app adds its part with an order."""

    def __init__(self):
        self._steps: dict[str, DataStep] = {}

    def register(self, order: int):
        def register(run):
            name = f"{run.__module__}.{run.__qualname__}"
            self._steps[name] = DataStep(order, name, run)
            return run

        return register

    def ordered(self) -> list[DataStep]:
        return sorted(self._steps.values(), key=lambda step: (step.order, step.name))


_demo_steps = _DataSteps()
_scale_steps = _DataSteps()


def demo_step(order: int):
    """Register a step of `load_demo_data`; steps run by `order`, each given the shared context.

    A step must be idempotent: the command may run twice and the second run changes nothing.
    """
    return _demo_steps.register(order)


def demo_steps() -> list[DataStep]:
    return _demo_steps.ordered()


def scale_step(order: int):
    """Register a step of `load_scale_data` (bulk writes, seeded, sized by the context's scale)."""
    return _scale_steps.register(order)


def scale_steps() -> list[DataStep]:
    return _scale_steps.ordered()


# The approvals inbox ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InboxItem:
    kind: str  # what it is: "Requirements specification", "Action-plan task", …
    title: str
    url: str
    state: str  # "waits for your approval", "approved", …
    who: str = ""  # who submitted it
    when: Any = None  # when it was submitted or decided
    for_me: bool = True  # waits for this user's decision (False: the user submitted it)


_inbox_sources: dict[str, Callable[[Any, Any], list[InboxItem]]] = {}


def inbox_source(key: str):
    """Register what a user finds in their approvals inbox; the function makes at most one query."""

    def register(items):
        _inbox_sources[key] = items
        return items

    return register


def inbox_for(user, cycle) -> list[InboxItem]:
    """Everything waiting for `user` first (oldest first), then what they submitted."""
    items = [item for key in sorted(_inbox_sources) for item in _inbox_sources[key](user, cycle)]
    return sorted(items, key=lambda item: (not item.for_me, str(item.when or "")))


# Records that belong to a cycle ------------------------------------------------------------------

def register_cycle_bound(model, via: str = "cycle") -> None:
    """Refuse saving or deleting a record of `model` whose cycle is closed (see `oe21.cycles`)."""
    from .cycles import guard

    guard(model, via)


# Carrying work into a new engagement cycle -----------------------------------------------------

@dataclass(frozen=True)
class CarryForward:
    key: str
    label: str
    order: int
    run: Callable[[Any, Any, Any], int]


_carry_forward: dict[str, CarryForward] = {}


def carry_forward(key: str, *, label: str, order: int = 50):
    """Register what continues into a new cycle; `label` is the checklist's line on the page that
    opens a cycle (ticked by default). The function runs inside the opening's transaction."""

    def register(run):
        _carry_forward[key] = CarryForward(key, label, order, run)
        return run

    return register


def carry_forward_steps() -> list[CarryForward]:
    return sorted(_carry_forward.values(), key=lambda step: (step.order, step.key))


# Panels on shared pages ------------------------------------------------------------------------

@dataclass(frozen=True)
class PagePanel:
    page: str
    template: str
    order: int
    context: Callable[[Any], dict]


_panels: dict[tuple[str, str], PagePanel] = {}


def page_panel(page: str, *, template: str, order: int = 50):
    """Register a panel on a shared page; the decorated function gets the page's record and
    returns the context of `template`."""

    def register(context):
        _panels[(page, template)] = PagePanel(page, template, order, context)
        return context

    return register


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict


def panels_for(page: str, record) -> list[RenderedPanel]:
    """The panels registered on `page`, in order, each with its context for `record`."""
    panels = sorted((p for p in _panels.values() if p.page == page), key=lambda p: (p.order, p.template))
    return [RenderedPanel(p.template, p.context(record)) for p in panels]


# Role permissions ------------------------------------------------------------------------------

@dataclass
class RoleRules:
    """What an app's models and custom permissions mean for the roles (see `oe21.roles`).

    Models are "app_label.model" (lower case); permissions "app_label.codename".
    """

    business_apps: set[str] = field(default_factory=set)
    oft_editable_models: set[str] = field(default_factory=set)
    admin_only_models: set[str] = field(default_factory=set)
    chair_only_permissions: set[str] = field(default_factory=set)
    oft_lead_permissions: set[str] = field(default_factory=set)
    submit_permissions: set[str] = field(default_factory=set)
    pms_permissions: set[str] = field(default_factory=set)
    sales_editable_models: set[str] = field(default_factory=set)
    sales_manager_permissions: set[str] = field(default_factory=set)


_role_rules = RoleRules()


def register_role_rules(app_label: str, *, oft_editable_models: Iterable[str] = (),
                        admin_only_models: Iterable[str] = (), chair_only_permissions: Iterable[str] = (),
                        oft_lead_permissions: Iterable[str] = (), submit_permissions: Iterable[str] = (),
                        pms_permissions: Iterable[str] = (), sales_editable_models: Iterable[str] = (),
                        sales_manager_permissions: Iterable[str] = ()) -> None:
    """Declare `app_label` a business app (its models are records of the standard) and say
    which of its models and permissions are special; names are given without the app label."""

    def qualified(names):
        return {f"{app_label}.{name}" for name in names}

    _role_rules.business_apps.add(app_label)
    _role_rules.oft_editable_models |= qualified(oft_editable_models)
    _role_rules.admin_only_models |= qualified(admin_only_models)
    _role_rules.chair_only_permissions |= qualified(chair_only_permissions)
    _role_rules.oft_lead_permissions |= qualified(oft_lead_permissions)
    _role_rules.submit_permissions |= qualified(submit_permissions)
    _role_rules.pms_permissions |= qualified(pms_permissions)
    _role_rules.sales_editable_models |= qualified(sales_editable_models)
    _role_rules.sales_manager_permissions |= qualified(sales_manager_permissions)


def role_rules() -> RoleRules:
    return _role_rules


# Sources of action items -----------------------------------------------------------------------

@dataclass(frozen=True)
class ActionSource:
    kind: str
    verbose_name: str
    model: str  # "app_label.ModelName" of the record the items hang on
    label: Callable[[Any], str]  # the source record → "Assessment: Lakeside Health · Compliance Audit"
    related: tuple[str, ...] = ()  # select_related paths that `label` reads


_action_sources: dict[str, ActionSource] = {}


def register_action_source(kind: str, *, verbose_name: str, model: str, label: Callable[[Any], str],
                           related: Iterable[str] = ()) -> None:
    _action_sources[kind] = ActionSource(kind, verbose_name, model, label, tuple(related))


def action_sources() -> dict[str, ActionSource]:
    return dict(_action_sources)


# The account timeline ----------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineEvent:
    """One line of an account's timeline, in words, with the page it links to."""

    text: str
    url: str = ""
    who: str = ""


@dataclass(frozen=True)
class TimelineKind:
    key: str  # "touch"
    label: str  # "Touches": the timeline's filter
    permission: str  # who may see this kind ("app_label.view_model")
    order: int
    # account → querysets of its events (`oe21.timeline.dated`: each row carries its date and a
    # short text the app chooses, e.g. "received" or "resolved"); its pk identifies the record
    events: Callable[[Any], list[Any]]
    # [(event, pk), …] of one page → {(event, pk): TimelineEvent}, in one query
    describe: Callable[[list[tuple[str, int]]], dict[tuple[str, int], TimelineEvent]]


_timeline_kinds: dict[str, TimelineKind] = {}


def timeline_kind(key: str, *, label: str, permission: str, events: Callable[[Any], list[Any]], order: int = 50):
    """Register a kind of event on the account timeline (`oe21.timeline`); the decorated function
    describes a page's events of this kind."""

    def register(describe):
        _timeline_kinds[key] = TimelineKind(key, label, permission, order, events, describe)
        return describe

    return register


def timeline_kinds() -> list[TimelineKind]:
    return sorted(_timeline_kinds.values(), key=lambda kind: (kind.order, kind.key))
