"""The `--json` contracts of `plan`, `history` and `stats`: documented in the README and
pinned by tests; change them only on purpose."""

from __future__ import annotations

import json
from typing import Any

from heelcoach.content.model import Library
from heelcoach.domain.planner import PlanItem, WeekPlan
from heelcoach.domain.profile import Profile
from heelcoach.domain.records import SetRecord, utc_text
from heelcoach.domain.stats import Stats
from heelcoach.domain.text import inert_data
from heelcoach.frontends.words import dose
from heelcoach.frontends.words.plan import (
    exclusion_text,
    referral_text,
    rule_reason,
    warning_texts,
)


def dumps(value: object) -> str:
    """A `--json` output as printed: indented, every string's control characters inert
    (JSON escapes C0 itself, but a C1 CSI or a direction override would pass)."""
    return json.dumps(inert_data(value), indent=2) + "\n"


def plan_to_json(plan: WeekPlan, person: Profile, library: Library) -> dict[str, object]:
    """The `plan --json` contract (README: "The --json contract")."""
    return {
        "week": plan.week,
        "level": plan.level,
        "days": [
            {
                "date": day.date.isoformat(),
                "items": [_item_json(i, plan, library) for i in day.items],
            }
            for day in plan.days
        ],
        "excluded": [
            {"exercise": e.exercise, "reason": exclusion_text(e, library)} for e in plan.excluded
        ],
        "warnings": warning_texts(plan, library),
        "referral": referral_text(plan, person, library),
    }


def _item_json(item: PlanItem, plan: WeekPlan, library: Library) -> dict[str, object]:
    return {
        "exercise": item.exercise.id,
        "sets": item.sets,
        "reps": item.reps,
        "seconds": item.seconds,
        "per_side": item.per_side,
        "support": item.support,
        "name": item.exercise.name,
        "tempo": item.exercise.tempo,
        "cue": item.exercise.cues[0],
        "rest_seconds": item.exercise.rest_seconds,
        "prescribed": _prescribed_json(item, plan, library),
    }


def _prescribed_json(item: PlanItem, plan: WeekPlan, library: Library) -> dict[str, object] | None:
    """For a prescribed item: who prescribed it, the dose as written, what it overrides."""
    if item.written is None or plan.prescribed is None:
        return None
    written = item.written
    return {
        "by": plan.prescribed.clinician,
        "as_written": dose(written.sets, written.reps, written.seconds, item.per_side),
        "despite": [rule_reason(rule, plan.impact_ceiling, library) for rule in item.despite],
        "note": written.note,
    }


def history_json(record: SetRecord) -> dict[str, Any]:
    """One set in the `history --json` contract (documented in the README)."""
    return {
        "uuid": record.uuid,
        "date": record.day.isoformat(),
        "exercise": record.exercise,
        "set": record.set_number,
        "side": record.side,
        "reps": record.reps,
        "seconds": record.seconds,
        "target_reps": record.target_reps,
        "target_seconds": record.target_seconds,
        "pain": record.pain,
        "started_at": utc_text(record.started_at),
        "ended_at": utc_text(record.ended_at),
        "session_id": record.session_id,
        "source": record.source,
        "note": record.note,
        "landings": record.landings,
        "soft_landings": record.soft_landings,
        "hard_landings": record.hard_landings,
    }


def stats_to_json(stats: Stats) -> dict[str, Any]:
    """The `stats --json` shape: weeks oldest first, then volumes and the summary."""
    return {
        "today": stats.today.isoformat(),
        "has_profile": stats.has_profile,
        "streak_weeks_on_plan": stats.streak,
        "checkin_trend": stats.checkin_trend,
        "weeks": [
            {
                "first_day": week.span.first.isoformat(),
                "last_day": week.span.last.isoformat(),
                "program_week": week.span.program_week,
                "in_progress": week.in_progress,
                "sets": week.sets,
                "impacts": week.impacts,
                "planned_sets": week.plan.planned if week.plan else None,
                "done_sets": week.plan.done if week.plan else None,
                "adherence": round(week.plan.adherence, 3) if week.plan else None,
                "on_plan": week.plan.on_plan if week.plan else None,
                "pain_max": week.pain_max,
                "pain_mean": week.pain_mean,
                "checkin_pain_mean": week.checkin_pain,
                "checkin_stiffness_mean": week.checkin_stiffness,
            }
            for week in stats.weeks
        ],
        "readiness_tests": [
            {
                "date": t.day.isoformat(),
                "test": t.test,
                "side": t.side,
                "pain": t.pain,
                "left": t.left,
                "right": t.right,
                "source": t.source,
            }
            for t in stats.tests
        ],
        "volumes": [
            {
                "exercise": volume.exercise,
                "name": volume.name,
                "unit": volume.unit,
                "per_week": list(volume.per_week),
                "sets_per_week": list(volume.sets_per_week),
            }
            for volume in stats.volumes
        ],
        "landings": [
            {
                "exercise": heard.exercise,
                "heard": heard.heard,
                "soft": heard.soft,
                "hard": heard.hard,
            }
            for heard in stats.landings
        ],
    }
