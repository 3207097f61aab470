"""Choice lists of Tasks 3.2.2–3.2.3, in the standard's own words."""

from django.db import models


class Phase(models.IntegerChoices):
    FOCUS = 1, "Phase 1 — Focusing on market segments and groups"
    PREPARE = 2, "Phase 2 — Prepare for target customer/prospect engagement"


# (phase, code, title): the checklist every campaign starts with.
CAMPAIGN_CHECKLIST = [
    (Phase.FOCUS, "T1", "Identify high-value targets"),
    (Phase.FOCUS, "T2", "Implement in-take (pre-screening) process"),
    (Phase.FOCUS, "T3", "Implement referral generators"),
    (Phase.FOCUS, "T4", "Implement contact lists management"),
    (Phase.FOCUS, "T5", "Research and listen to prospects"),
    (Phase.FOCUS, "T6", "Create potential solutions for targets"),
    (Phase.FOCUS, "T7", "Implement online meeting system"),
    (Phase.PREPARE, "S1", "Prioritize targets"),
    (Phase.PREPARE, "S2", "Create/update value propositions"),
    (Phase.PREPARE, "S3", "Create Touch 1 content"),
    (Phase.PREPARE, "S4", "Create standardized voice mail"),
    (Phase.PREPARE, "S5", "Create a standardized telephone dialogue"),
    (Phase.PREPARE, "S6", "Create marketing presentation"),
    (Phase.PREPARE, "S7", "Prepare follow-on presentation"),
    (Phase.PREPARE, "S8", "Practice presentations"),
]

# Phase 3 — customer and stakeholder engagement, per opportunity: (field, title).
ENGAGEMENT_STEPS = [
    ("sponsor_engaged_on", "Locate and engage with internal sponsor"),
    ("touch1_sent_on", "Send Touch 1 to internal sponsor"),
    ("presented_to_sponsor_on", "Present solution to internal sponsor"),
    ("presented_to_influencers_on", "Present solution to influencer(s)"),
    ("decision_meeting_set_on", "Set meeting with decision maker"),
    ("presented_to_decision_maker_on", "Presentation to decision maker"),
]


class TextKind(models.TextChoices):
    VALUE_PROPOSITION = "value_proposition", "Value proposition"
    TOUCH = "touch", "Touch content"
    VOICE_MAIL = "voice_mail", "Standardized voice mail"
    TELEPHONE_DIALOGUE = "telephone_dialogue", "Standardized telephone dialogue"


class TouchMedium(models.TextChoices):
    """How a Touch 1…n is delivered (touch content)."""

    CALL = "call", "Phone call"
    VOICE_MAIL = "voice_mail", "Voice mail"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    SOCIAL_MEDIA = "social_media", "Social media"


class LeadSource(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    WEB_SITE = "web_site", "Web site"
    REFERRAL = "referral", "Referral"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    NO_PROGRESS = "no_progress", "No progress"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    NOT_INTERESTED = "not_interested", "Not interested"
    UNDECIDED = "undecided", "Undecided"
    INTERESTED = "interested", "Interested"
    EVALUATING = "evaluating", "Evaluating"
    PURCHASED = "purchased", "Purchased"


# Moving to one of these asks for a reason from the list below.
STATUSES_NEEDING_REASON = {Status.NO_PROGRESS, Status.UNSUBSCRIBED, Status.NOT_INTERESTED}
# An opportunity in one of these is over: it does not continue into the next cycle.
CLOSED_STATUSES = {Status.PURCHASED, Status.NOT_INTERESTED, Status.UNSUBSCRIBED}
# The order of the funnel: how far an opportunity got.
FUNNEL = [Status.UNDECIDED, Status.INTERESTED, Status.EVALUATING, Status.PURCHASED]


class StatusReason(models.TextChoices):
    PRICE = "price", "Price"
    BUDGET = "budget", "Budget"
    TIMING = "timing", "Timing"
    COMPETITOR = "competitor", "Competitor"
    NO_NEED = "no_need", "No need"
    NO_RESPONSE = "no_response", "No response"
    OTHER = "other", "Other"


class ProposalOutcome(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Channel(models.TextChoices):
    """The channels of the Opportunity Manager, each with its pair of counts."""

    EMAIL = "email", "Email"
    CHAT = "chat", "Chat"
    VOICE_MAIL = "voice_mail", "Voice mail"
    PHONE = "phone", "Phone call"
    SOCIAL = "social", "Social media message"
    LINKEDIN = "linkedin", "LinkedIn message"
    ONLINE_MEETING = "online_meeting", "Online meeting"
    LETTER = "letter", "Letter"


class TouchOrigin(models.TextChoices):
    LOGGED = "logged", "Logged"
    IMPORTED = "imported", "Imported from the spreadsheet"


class Direction(models.TextChoices):
    OUT = "out", "Out (we reached out)"
    IN = "in", "In (they responded)"


# The standard's names for the two counts of each channel: (out, in).
COUNT_NAMES = {
    Channel.EMAIL: ("Emails sent", "Email replies"),
    Channel.CHAT: ("Chat invites", "Chats conducted"),
    Channel.VOICE_MAIL: ("Voice mails left", "Voice mails replied"),
    Channel.PHONE: ("Phone calls made", "Phone calls received"),
    Channel.SOCIAL: ("Social media messages sent", "Social media messages received"),
    Channel.LINKEDIN: ("LinkedIn messages sent", "LinkedIn messages received"),
    Channel.ONLINE_MEETING: ("Online meeting invitations", "Online meetings conducted"),
    Channel.LETTER: ("Letters sent", "Letters answered"),
}

MAX_COMMENTS = 5
