"""Choice lists of the shared model (SPEC §2), kept as constants in one place."""

from django.db import models


class AccountKind(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PROSPECT = "prospect", "Prospect"
    STAKEHOLDER = "stakeholder", "Key stakeholder"


class LifecycleStage(models.TextChoices):
    """Customer lifecycle stages of seed 002 (customer engagement model)."""

    INITIATION = "initiation", "Initiation"
    INTEGRATION = "integration", "Integration"
    INTELLIGENCE = "intelligence", "Intelligence"
    VALUE_CREATION = "value_creation", "Value creation"


class AgeGroup(models.TextChoices):
    UNDER_25 = "under_25", "Under 25"
    AGE_25_34 = "25_34", "25–34"
    AGE_35_44 = "35_44", "35–44"
    AGE_45_54 = "45_54", "45–54"
    AGE_55_64 = "55_64", "55–64"
    AGE_65_PLUS = "65_plus", "65 and over"


class DecisionRole(models.TextChoices):
    INTERNAL_SPONSOR = "internal_sponsor", "Internal sponsor"
    INFLUENCER = "influencer", "Influencer"
    DECISION_MAKER = "decision_maker", "Decision maker"
    OTHER = "other", "Other"


class OfferingKind(models.TextChoices):
    PRODUCT = "product", "Product"
    SERVICE = "service", "Service"
    PROGRAM = "program", "Program"


class OfferingStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    DISCONTINUED = "discontinued", "Discontinued"


class TeamKind(models.TextChoices):
    LFT = "LFT", "Leadership Focus Team"
    CFT = "CFT", "Customer Focus Team"
    OFT = "OFT", "Operations Focus Team"


class MilestoneState(models.TextChoices):
    OPEN = "open", "Not submitted"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ActionItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class JobState(models.TextChoices):
    PENDING = "pending", "Waiting"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"
