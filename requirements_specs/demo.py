"""Tasks 3.2.4–3.2.7's part of the demo organisation: specifications (one approved), a datasheet
and a year of costs."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from oe21.lib.months import add_months, months_back
from oe21.registry import demo_step

from . import services
from .models import OfferingCost, RequirementSpec


@demo_step(order=40)
def offering_information(ctx) -> None:
    if RequirementSpec.objects.exists():
        return
    rng, users, offerings = ctx.rng, ctx.users, ctx.offerings
    for index, offering in enumerate(offerings[:3]):
        spec = services.spec_save(offering=offering, user=users["oft"], data={
            "offering_type": offering.get_kind_display(), "requirements": f"{offering.name}: core requirements.",
            "order_quantities": "Monthly", "desired_cycle_time": "10 working days", "value_rating": 4})
        if index == 0:
            services.spec_submit(spec=spec, user=users["oft"])
            services.spec_approve(spec=spec, user=users["chair"])
            pdf = b"%PDF-1.4\n% demo datasheet\n%%EOF\n"
            services.document_upload(offering=offering, kind="datasheet", user=users["cft"],
                                     upload=SimpleUploadedFile("datasheet.pdf", pdf))
    margins = [0.45, 0.3, 0.12, 0.05]
    for month in months_back(add_months(datetime.date.today().replace(day=1), -1), 12):
        for index, offering in enumerate(offerings):
            revenue = rng.randint(8, 20) * 1000
            OfferingCost.objects.create(offering=offering, period=month, revenue=revenue,
                                        cost_of_goods_sold=round(revenue * (1 - margins[index % 4])),
                                        units=rng.randint(2, 9), design_days=rng.randint(5, 20),
                                        produce_days=rng.randint(2, 10), deliver_days=rng.randint(1, 5),
                                        support_days=rng.randint(1, 3))
