"""Hypothesis strategies for random but meaningful caseloads (differential tests of the deadline engine).

    caseloads()            a tuple of Family values with unique family and person refs
    todays()               a `today`: the usual 2026-11-25, days around 2016-07-01, any day 2013-2028
    caseload_and_today()   a caseload and a today drawn near its facts (often before many of them)
    policies()             keyword arguments for the engine/oracle: rules, window, plan_deadlines, ...

Every fact is drawn relative to the person's takeover (or to the fact it follows), so contracts are signed
around the deadline, conversations cluster after the signing, pauses fall before or after the Danish start,
and so on; a good share of the facts lie after a typical `today`, which makes them "not yet recorded".
Takeovers cluster around the 2016-07-01 boundary (both sides and the boundary day) and in recent years.
People are adults, children, or turn 18 a few days either side of the takeover (29 February births too);
unaccompanied minors are always under 18 on their takeover day.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import strategies as st

from kasse.domain import (
    Answer,
    Category,
    Contract,
    ContractFollowUp,
    ConversationForm,
    Danish,
    ExemptReason,
    Family,
    FamilyPlan,
    FollowUp,
    Health,
    Person,
    PlanOffer,
    Programme,
    Role,
    Track,
    UmDecision,
)

BOUNDARY = date(2016, 7, 1)
TYPICAL_TODAY = date(2026, 11, 25)
EARLIEST = date(2000, 1, 1)
LATEST = date(2035, 12, 31)

FIRST_NAMES = ("Amina", "Omar", "Fatima", "Yonas", "Layla", "Karim", "Sara", "Adam", "Huda", "Ali", "Nour",
               "Mehdi", "Zainab", "Bilal", "Hassan", "Aisha", "Ahmad", "Rania", "Tesfay", "Miriam")
SURNAMES = ("Hassan", "Ali", "Yusuf", "Tesfay", "Haddad", "Omar", "Rahimi", "Karimi", "Abdi", "Nasser")


def _clamp(day: date) -> date:
    return min(max(day, EARLIEST), LATEST)


def _shift(day: date, days: int) -> date:
    return _clamp(day + timedelta(days=days))


def near(anchor: date, low: int, high: int) -> st.SearchStrategy[date]:
    """A day `low`..`high` days from `anchor`."""
    return st.integers(low, high).map(lambda offset: _shift(anchor, offset))


def _years_before(day: date, years: int) -> date:
    """`day` moved back `years` years (29 Feb -> 28 Feb)."""
    year = day.year - years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def _add_months(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def _turns_18(birth: date) -> date:
    year = birth.year + 18
    if (birth.month, birth.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 3, 1)
    return date(year, birth.month, birth.day)


# --- days ------------------------------------------------------------------------------------------------------


def takeover_dates() -> st.SearchStrategy[date]:
    return st.one_of(
        st.sampled_from((BOUNDARY, BOUNDARY - timedelta(days=1), BOUNDARY + timedelta(days=1))),
        near(BOUNDARY, -60, 60),
        st.dates(date(2022, 1, 1), date(2027, 6, 30)),
        st.dates(date(2013, 1, 1), date(2027, 12, 31)),
        # month ends, so that + 1 month clamps (31 Jan -> 28/29 Feb)
        st.builds(lambda year, month: date(year, month, calendar.monthrange(year, month)[1]),
                  st.integers(2014, 2027), st.integers(1, 12)),
    )


def todays() -> st.SearchStrategy[date]:
    return st.one_of(
        st.just(TYPICAL_TODAY),
        near(TYPICAL_TODAY, -30, 30),
        near(BOUNDARY, -30, 400),
        st.dates(date(2013, 1, 1), date(2028, 12, 31)),
    )


# --- a person's facts ----------------------------------------------------------------------------------------
# Inside the composites, days are drawn with the helpers below: `st.integers` is cached by Hypothesis, so
# drawing offsets is far cheaper than building a new mapped strategy for every fact.


def _day(draw, anchor: date, low: int, high: int) -> date:
    return _shift(anchor, draw(st.integers(low, high)))


def _chance(draw, in_ten: int) -> bool:
    """True in `in_ten` of ten draws."""
    return draw(st.integers(0, 9)) < in_ten


def _maybe_day(draw, none_in_ten: int, anchor: date, low: int, high: int) -> date | None:
    return None if _chance(draw, none_in_ten) else _day(draw, anchor, low, high)


def _conversations(draw, signed: date | None, around: date) -> tuple[ContractFollowUp, ...]:
    """0-6 contract follow-up conversations, some on one day, some before the signing."""
    base = signed or around
    count = draw(st.sampled_from((0, 0, 1, 2, 3, 4, 4, 5, 6)))
    days = [_day(draw, base, 0, 180) if _chance(draw, 7) else _day(draw, base, -30, 240) for _ in range(count)]
    if days and draw(st.booleans()):
        days.append(draw(st.sampled_from(days)))  # the same day twice
    if signed is not None and _chance(draw, 2):
        days.append(signed)  # on the signing day
    forms = (None, *ConversationForm)
    return tuple(ContractFollowUp(day, draw(st.sampled_from(forms))) for day in days)


def _contract(draw, anchor: date) -> Contract:
    signed = _maybe_day(draw, 3, anchor, -10, 120)
    return Contract(signed_date=signed, followups=_conversations(draw, signed, anchor))


def _danish(draw, anchor: date) -> Danish:
    """One of: referred/started as usual; ill before starting (a pause, the start after it or never);
    ill after starting (a pause that does not count); nothing recorded."""
    story = draw(st.integers(0, 9))
    referral = start = paused_from = paused_to = None
    if story < 3:
        referral = _maybe_day(draw, 4, anchor, -10, 90)
        start = _maybe_day(draw, 4, referral or anchor, -20, 150)
    elif story < 7:
        paused_from = _day(draw, anchor, -15, 45)
        paused_to = _maybe_day(draw, 5, paused_from, 0, 300) if _chance(draw, 5) else _day(draw, paused_from, 60, 400)
        referral = _maybe_day(draw, 6, paused_from, 1, 200)
        start = _maybe_day(draw, 5, paused_to or paused_from, -10, 120)
    elif story < 9:
        start = _day(draw, anchor, -10, 90)
        referral = _maybe_day(draw, 5, start, -30, 10)
        paused_from = _day(draw, start, -5, 200)
        paused_to = _maybe_day(draw, 4, paused_from, 0, 200)
    passed = _maybe_day(draw, 8, start or anchor, 200, 1200)
    return Danish(start_date=start, referral_date=referral, paused_from=paused_from, paused_to=paused_to,
                  passed_date=passed, track=draw(st.sampled_from((None, *Track))))


def _health(draw, takeover: date) -> Health:
    need = need_date = None
    if _chance(draw, 5):
        need = draw(st.booleans())
        need_date = _day(draw, takeover, -10, 250)
    offered = _maybe_day(draw, 4, takeover, -10, 300)
    declined = None
    if _chance(draw, 4):
        declined = _day(draw, offered, 0, 30) if offered and _chance(draw, 6) else _day(draw, takeover, -5, 300)
    guidance = _maybe_day(draw, 5 if declined else 8, declined or takeover, -3, 40)
    result = _maybe_day(draw, 3, takeover, 5, 250)
    consent = draw(st.sampled_from((None, True, True, True, False)))
    return Health(offered_date=offered, declined_date=declined, guidance_date=guidance, consent=consent,
                  result_received_date=result, need=need, need_date=need_date)


def _birth(draw, takeover: date | None, category: Category) -> date:
    anchor = takeover or date(2020, 1, 1)
    eighteen_before = _years_before(anchor, 18)
    leap_years = [y for y in range(anchor.year - 19, anchor.year - 16) if calendar.isleap(y)]
    kind = draw(st.integers(0, 9))
    if category is Category.UNACCOMPANIED_MINOR:
        # under 18 on the takeover day: the 18th birthday is after it
        if kind < 2 and leap_years and _turns_18(date(leap_years[-1], 2, 29)) > anchor:
            return date(leap_years[-1], 2, 29)
        return _day(draw, eighteen_before, 1, 120) if kind < 6 else _day(draw, eighteen_before, 1, 17 * 365)
    if kind < 6:
        return _day(draw, anchor, -65 * 365, -18 * 365 - 5)  # adult
    if kind < 8:
        return _day(draw, anchor, -17 * 365, -30)  # child
    if kind < 9 or not leap_years:
        return _day(draw, eighteen_before, -60, 60)  # turns 18 around the takeover
    return date(draw(st.sampled_from(leap_years)), 2, 29)


_CATEGORIES = (Category.REFUGEE, Category.REFUGEE, Category.QUOTA_REFUGEE, Category.FAMILY_REUNIFIED,
               Category.FAMILY_REUNIFIED, Category.UNACCOMPANIED_MINOR, Category.RESIDENT_SPOUSE)
_EXEMPTIONS = (None,) * 9 + tuple(ExemptReason)


def _person(draw, ref: str, base_takeover: date, role: Role | None) -> Person:
    category = draw(st.sampled_from(_CATEGORIES))
    which = draw(st.integers(0, 19))
    if category is Category.RESIDENT_SPOUSE:
        takeover = None if which < 15 else base_takeover
    elif which == 0:
        takeover = None  # not covered
    elif which < 15:
        takeover = base_takeover
    elif which < 18:
        takeover = _day(draw, base_takeover, -400, 400)  # another member's earlier or later takeover
    else:
        takeover = draw(_TAKEOVERS)
    birth = _birth(draw, takeover, category)
    anchor = takeover or base_takeover

    decision = None
    if category is Category.UNACCOMPANIED_MINOR and _chance(draw, 7):
        day = _day(draw, anchor, 0, 400) if draw(st.booleans()) else _day(draw, _turns_18(birth), -60, 60)
        decision = UmDecision(date=day, offered=draw(st.booleans()))
    programme_anchor = decision.date if decision is not None and decision.offered else anchor

    left = _maybe_day(draw, 7, anchor, -10, 2500)
    return Person(
        ref=ref,
        name=f"{draw(st.sampled_from(FIRST_NAMES))} {draw(st.sampled_from(SURNAMES))}",
        category=category,
        birth_date=birth,
        role=role,
        takeover_date=takeover,
        left_date=left,
        left_reason="Fraflyttet" if left else None,
        programme=Programme(exempt_reason=draw(st.sampled_from(_EXEMPTIONS)),
                            start_date=_maybe_day(draw, 3, programme_anchor, -20, 200)),
        um_decision=decision,
        contract=_contract(draw, programme_anchor),
        danish=_danish(draw, programme_anchor),
        plan_offer=PlanOffer(offered_date=_maybe_day(draw, 4, anchor, -10, 200),
                             answer=draw(st.sampled_from((None, *Answer)))),
        health=_health(draw, anchor),
    )


@st.composite
def persons(draw, ref: str = "P-0001", base_takeover: date | None = None, role: Role | None = Role.APPLICANT
            ) -> Person:
    """One person; their takeover is usually `base_takeover` (drawn when not given)."""
    return _person(draw, ref, base_takeover or draw(_TAKEOVERS), role)


# --- families and caseloads ----------------------------------------------------------------------------------


def _plan(draw, base_takeover: date) -> FamilyPlan:
    made = _maybe_day(draw, 3, base_takeover, -30, 300)
    months = draw(st.sampled_from((None, *range(1, 13))))
    around = made or base_takeover
    days = [_day(draw, around, -60, 900) for _ in range(draw(st.integers(0, 5)))]
    if days and draw(st.booleans()):
        days.append(draw(st.sampled_from(days)))  # the same day twice
    if made is not None and _chance(draw, 2):
        days.append(made)  # on the made date: not part of the chain
    return FamilyPlan(made_date=made, followup_months=months, followups=tuple(FollowUp(day) for day in days))


_FIRST_ROLES = (Role.APPLICANT,) * 4 + (Role.SPOUSE, Role.OTHER, None)
_OTHER_ROLES = (Role.SPOUSE, Role.CHILD, Role.CHILD, Role.OTHER, None)


def _family(draw, ref: str, person_refs: list[str]) -> Family:
    base = draw(_TAKEOVERS)
    roles = [draw(st.sampled_from(_FIRST_ROLES if index == 0 else _OTHER_ROLES)) for index in range(len(person_refs))]
    members = tuple(_person(draw, person_ref, base, role) for person_ref, role in zip(person_refs, roles))
    return Family(ref=ref, members=members, plan=_plan(draw, base))


@st.composite
def families(draw, ref: str = "F-001", person_refs: tuple[str, ...] = ("P-0001", "P-0002", "P-0003")) -> Family:
    return _family(draw, ref, list(person_refs))


@st.composite
def caseloads(draw, max_families: int = 6, max_members: int = 5) -> tuple[Family, ...]:
    """1..max_families families (rarely one without members); refs unique across the caseload."""
    found = []
    counter = 0
    for index in range(1, draw(st.integers(1, max_families)) + 1):
        pick = draw(st.integers(0, 19))
        size = 0 if pick == 0 else 1 + pick % max_members
        refs = [f"P-{counter + n:04d}" for n in range(1, size + 1)]
        counter += size
        found.append(_family(draw, f"F-{index:03d}", refs))
    return tuple(found)


@st.composite
def caseload_and_today(draw, max_families: int = 6) -> tuple[tuple[Family, ...], date]:
    """A caseload and a today: independent, or within a few years of one of its takeovers."""
    caseload = draw(caseloads(max_families=max_families))
    takeovers = [p.takeover_date for f in caseload for p in f.members if p.takeover_date is not None]
    mode = draw(st.integers(0, 3)) if takeovers else 0
    if mode == 0:
        today = draw(_TODAYS)
    elif mode == 1:
        today = _day(draw, draw(st.sampled_from(takeovers)), -60, 1000)
    elif mode == 2:  # the first months, when the one- and three-month deadlines fall due
        today = _day(draw, draw(st.sampled_from(takeovers)), 0, 130)
    else:  # just before (or on) a one-, three- or six-month deadline: due soon
        due = _add_months(draw(st.sampled_from(takeovers)), draw(st.sampled_from((1, 3, 6))))
        today = _day(draw, due, -20, 0)
    return caseload, today


def policies() -> st.SearchStrategy[dict]:
    """Keyword arguments of oracle_deadlines (and the engine) beside families and today."""
    return st.fixed_dictionaries({
        "rules": st.sampled_from(("auto", "auto", "2015", "2016")),
        "window": st.sampled_from((14, 14, 0, 7, 30)),
        "plan_deadlines": st.booleans(),
        "health_guidance_days": st.sampled_from((14, 7, 30, 0)),
        "health_followup_months": st.sampled_from((1, 1, 2, 3, 0)),
        "danish_resume_months": st.sampled_from((1, 1, 2, 0)),
    })


_TAKEOVERS = takeover_dates()
_TODAYS = todays()
