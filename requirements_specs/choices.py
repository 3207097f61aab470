"""Choice lists of Tasks 3.2.4–3.2.7."""

from django.db import models


class SpecStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    UNDER_REVIEW = "under_review", "Under review"
    APPROVED = "approved", "Approved"


class CompetitivePositionKind(models.TextChoices):
    AHEAD = "ahead", "We are ahead"
    LEVEL = "level", "About level"
    BEHIND = "behind", "We are behind"


class DocumentKind(models.TextChoices):
    DATASHEET = "datasheet", "Datasheet"
    SALES_FLYER = "sales_flyer", "Sales flyer"
    BROCHURE = "brochure", "Brochure"
    TECHNICAL_SPECIFICATION = "technical_specification", "Technical specification"
    WEB_DESCRIPTION = "web_description", "Web description"
    PRICE_LIST = "price_list", "Price list"
    DELIVERY_INFORMATION = "delivery_information", "Delivery information"
    OTHER = "other", "Other"


class Decision(models.TextChoices):
    CONTINUE = "continue", "Continue"
    IMPROVE = "improve", "Improve"
    DISCONTINUE = "discontinue", "Discontinue"


class PlanTaskStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed (waits for the LFT chair)"
    APPROVED = "approved", "Approved"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    REJECTED = "rejected", "Not approved"


# (field, letter, label) of the inputs (a)–(k) of a requirements specification, Task 3.2.4.
SPEC_INPUTS = [
    ("offering_type", "a", "Type of product, service or program"),
    ("requirements", "b", "Requirements or specifications"),
    ("order_quantities", "c", "Typical order quantities or delivery frequency"),
    ("desired_cycle_time", "d", "Customer-desired order-to-delivery cycle time"),
    ("desired_cost", "e", "Customer-desired cost"),
    ("competitor_cost", "f", "Competitor / comparative cost for similar offerings"),
    ("quality_requirements", "g", "Quality requirements"),
    ("organisational_profile", "h", "Link to the organisational profile"),
    ("strategic_action_plans", "i", "Linked strategic action plans"),
    ("voice_of_customer", "j", "Voice-of-customer / satisfaction results (notes; figures are linked)"),
    ("value_rating", "k", "Value rating (1–5)"),
]

