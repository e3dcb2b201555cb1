"""The shape of a kasse/v1 document: its format name and the keys of each of its objects (`keys.PERSON`)."""

FORMAT = "kasse/v1"

# Keys of every object, in the order FORMAT.md's example writes them; kasse's additions last.
DOCUMENT = ("format", "families", "journal", "tasks")
FAMILY = ("ref", "coordinating_department", "housing", "housing_since", "plan", "checklist", "members")
PLAN = ("made_date", "followup_months", "followups")
FOLLOWUP = ("date", "note")
CHECKLIST = ("phase", "task", "done_date")
PERSON = (
    "ref", "name", "cpr", "birth_date", "category", "role", "takeover_date", "left_date", "left_reason",
    "programme", "um_decision", "contract", "danish", "plan_offer", "health", "goals",
    "nationality", "assessment",
)  # fmt: skip
PROGRAMME = ("exempt_reason", "start_date")
UM_DECISION = ("date", "offered")
CONTRACT = ("signed_date", "goal_kind", "goal", "activities", "followups")
CONTRACT_FOLLOWUP = ("date", "form", "note")
DANISH = (
    "referral_date", "start_date", "provider", "track", "hours_per_week", "paused_from", "paused_to", "passed_date",
)  # fmt: skip
PLAN_OFFER = ("offered_date", "answer")
HEALTH = (
    "need", "need_date", "offered_date", "declined_date", "guidance_date", "consent", "result_received_date",
)  # fmt: skip
ASSESSMENT = ("education", "work_experience", "languages", "literacy", "health_summary")
GOAL = ("area", "goal", "subgoals", "interventions")
INTERVENTION = ("title", "department", "start", "end", "status")
# The journal's notes and the caseworker's own tasks: records of their own beside the families (docs/format.md).
NOTE = ("uid", "family", "person", "written_at", "author", "kind", "text", "corrects")
TASK = ("uid", "family", "person", "title", "due", "done", "created_at", "author")
