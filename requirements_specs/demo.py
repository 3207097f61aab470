"""Tasks 3.2.4–3.2.7's part of the demo organisation: approved specifications, datasheets, a year of
costs, the chair's decisions and the action plan's first tasks."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from oe21.lib.months import add_months, months_back
from oe21.models import ActionItem
from oe21.registry import demo_step

from . import services
from .models import OfferingCost, RequirementSpec


@demo_step(order=40)
def offering_information(ctx) -> None:
    """Every offering's specification approved and its datasheet uploaded, all but the first given
    to a customer (milestone 5 shows that one); a year of costs; the chair's decision on all but the
    last offering (milestone 6 shows that one); two of the three assessment tasks in the plan."""
    if RequirementSpec.objects.exists():
        return
    rng, users, offerings = ctx.rng, ctx.users, ctx.offerings
    pdf = b"%PDF-1.4\n% demo datasheet\n%%EOF\n"
    for index, offering in enumerate(offerings):
        spec = services.spec_save(offering=offering, user=users["oft"], data={
            "offering_type": offering.get_kind_display(), "requirements": f"{offering.name}: core requirements.",
            "order_quantities": "Monthly", "desired_cycle_time": "10 working days", "value_rating": 4})
        services.spec_submit(spec=spec, user=users["oft"])
        services.spec_approve(spec=spec, user=users["chair"])
        document = services.document_upload(offering=offering, kind="datasheet", user=users["cft"],
                                            upload=SimpleUploadedFile("datasheet.pdf", pdf))
        if index:
            services.document_distribute(document=document, accounts=[ctx.accounts[index]], user=users["cft"])
    margins = [0.45, 0.3, 0.12, 0.05]
    for month in months_back(add_months(datetime.date.today().replace(day=1), -1), 12):
        for index, offering in enumerate(offerings):
            revenue = rng.randint(8, 20) * 1000
            OfferingCost.objects.create(offering=offering, period=month, revenue=revenue,
                                        cost_of_goods_sold=round(revenue * (1 - margins[index % 4])),
                                        units=rng.randint(2, 9), design_days=rng.randint(5, 20),
                                        produce_days=rng.randint(2, 10), deliver_days=rng.randint(1, 5),
                                        support_days=rng.randint(1, 3))
    for offering in offerings[:-1]:
        services.offering_decide(offering=offering, decision="continue", user=users["chair"],
                                 reason="Margin and demand hold; keep offering it.")
    for item in ActionItem.objects.filter(source_kind="assessment").order_by("pk")[:2]:
        services.plan_task_propose(source_item=item, user=users["cft"], data={
            "description": item.description, "owner": item.owner, "due_on": item.due_on})
