"""Choice lists of Tasks 3.2.8–3.2.9."""

from django.db import models


class MeasureKind(models.TextChoices):
    KRI = "KRI", "KRI — key results indicator"
    KRD = "KRD", "KRD — key results driver"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class Breakdown(models.TextChoices):
    OVERALL = "overall", "Overall"
    OFFERING = "offering", "By offering"
    SEGMENT = "segment", "By segment"


class Source(models.TextChoices):
    """Where a measure's entries come from: typed in / imported, or computed nightly."""

    MANUAL = "manual", "Typed in or imported"
    RATINGS_MEAN = "ratings_mean", "Computed: mean customer rating"
    COMPLAINTS = "complaints", "Computed: complaints received"
    TOUCHES_OUT = "touches_out", "Computed: opportunity-marketing touches out"
    SALES_EFFICIENCY = "sales_efficiency", "Computed: sales efficiency %"
    MEETINGS = "meetings", "Computed: online meetings conducted"
    SURVEY_NPS = "survey_nps", "Computed: NPS of the engagement survey"
    FULLY_ENGAGED = "fully_engaged", "Computed: share of fully engaged respondents %"
    RISK_MEAN = "risk_mean", "Computed: mean account risk score (early warning)"
    AT_RISK_SHARE = "at_risk_share", "Computed: share of accounts at risk %"


class EntryOrigin(models.TextChoices):
    TYPED = "typed", "Typed in"
    IMPORTED = "imported", "Imported"
    COMPUTED = "computed", "Computed"


class ComplaintChannel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    WEB = "web", "Web form"
    IN_PERSON = "in_person", "In person"
    SOCIAL = "social", "Social media"
    OTHER = "other", "Other"


class ComplaintCategory(models.TextChoices):
    QUALITY = "quality", "Product/service quality"
    DELIVERY = "delivery", "Delivery or timeliness"
    BILLING = "billing", "Billing or price"
    SERVICE = "service", "Customer service"
    DOCUMENTATION = "documentation", "Documentation or information"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class RootCause(models.TextChoices):
    PROCESS = "process", "Process"
    PEOPLE = "people", "People / training"
    MATERIAL = "material", "Material / supplier"
    EQUIPMENT = "equipment", "Equipment"
    COMMUNICATION = "communication", "Communication"
    DESIGN = "design", "Design / specification"
    UNKNOWN = "unknown", "Not yet known"


REPEAT_WINDOW_DAYS = 365  # a complaint repeats one of the same account and category within a year
AMBER_TOLERANCE = 0.10  # within 10 % of the target (on the wrong side) is amber
