"""The screening asked in a terminal: one question at a time, a summary, nothing lost.

Every answer is kept in a draft file as it is given, so Ctrl-C loses nothing: the next
`heelcoach screen` offers to carry on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from heelcoach.content.model import Library, Question
from heelcoach.context import Context
from heelcoach.domain.profile import (
    Answer,
    Profile,
    Unclear,
    applies,
    as_file_format,
    check_answer,
    might_apply,
    parse_answers,
    parse_typed,
)
from heelcoach.domain.text import is_whole_number
from heelcoach.frontends.cli.console import ask, confirm, console, say, wrapped
from heelcoach.frontends.words.plan import answer_text
from heelcoach.services import screening

if TYPE_CHECKING:
    from rich.console import Console


def screen_in_terminal(
    ctx: Context, library: Library, created: date, *, known: Mapping[str, object] | None = None
) -> Profile:
    """Ask (or resume) the screening and return the checked profile (not saved yet).
    Answers `known` from before are offered in the summary instead of asked again."""
    answers = _starting_answers(ctx, library, known)
    try:
        _ask_missing(ctx, library, answers, created)
        while not _summary_accepted(ctx, library, answers):
            _ask_missing(ctx, library, answers, created)
    except (KeyboardInterrupt, EOFError):
        say(ctx, "\nYour answers so far are kept: run `heelcoach screen` to carry on.")
        raise
    # A question that did not apply was not asked: it is saved as not answered (null).
    complete = {question.key: answers.get(question.key) for question in library.questions}
    return parse_answers(as_file_format(complete), library, "your answers", created)


def _starting_answers(
    ctx: Context, library: Library, known: Mapping[str, object] | None
) -> dict[str, Answer]:
    draft = screening.load_draft(ctx)
    if draft is not None and draft[0]:
        count = len(draft[0])
        say(ctx, wrapped(ctx, f"You stopped part-way through the screening ({count} answered)."))
        if confirm(ctx, "Carry on where you left off", default=True):
            return _valid(library, draft[0])
        screening.clear_draft(ctx)
    return _valid(library, known or {})


def _valid(library: Library, given: Mapping[str, object]) -> dict[str, Answer]:
    """The answers among `given` that still pass their checks, in question order."""
    kept: dict[str, Answer] = {}
    for question in library.questions:
        if question.key in given:
            try:
                kept[question.key] = check_answer(question, given[question.key], kept)
            except Unclear:
                continue  # asked again
    return kept


def _ask_missing(ctx: Context, library: Library, answers: dict[str, Answer], created: date) -> None:
    """Ask every question that applies and has no answer yet; drop answers that no longer
    apply (a changed answer can make a later question moot)."""
    target = console(ctx)
    for question in library.questions:
        if not applies(question, answers):
            answers.pop(question.key, None)
        elif question.key not in answers:
            number, total = _position(library, answers, question)
            answers[question.key] = ask_question(ctx, target, question, answers, number, total)
            # Later answers that no longer fit (a T-score after a changed bone density)
            # are asked again.
            still = _valid(library, answers)
            answers.clear()
            answers.update(still)
            screening.save_draft(ctx, as_file_format(answers), created)


def _position(
    library: Library, answers: Mapping[str, Answer], current: Question
) -> tuple[int, int]:
    """'question k of n': n counts the questions answered, and those that apply or could
    still apply given the answers so far, so it never grows as answers come in."""
    counted: list[Question] = []
    never: set[str] = set()
    for question in library.questions:
        if question.key in answers or might_apply(question, answers, never):
            counted.append(question)
        else:
            never.add(question.key)
    return counted.index(current) + 1, len(counted)


def ask_question(
    ctx: Context,
    target: Console,
    question: Question,
    earlier: Mapping[str, Answer],
    number: int,
    total: int,
) -> Answer:
    """Ask one question until the answer is valid (or a suggestion is taken)."""
    from rich.text import Text

    target.print(Text.assemble(f"\nQuestion {number} of {total}: ", (question.text, "bold")))
    target.print(Text(question.help, style="dim"))
    for choice_number, choice in enumerate(question.choices or (), 1):
        target.print(Text(f"  {choice_number}. {question.label(choice)}"))
    while True:
        typed = ask(ctx, wrapped(ctx, f"  {_hint(question)} >", "  ") + " ")
        try:
            return check_answer(question, parse_typed(question, typed), earlier)
        except Unclear as unclear:
            taken = _offer(ctx, question, unclear, earlier)
            if taken is not None:
                return taken


def _offer(
    ctx: Context, question: Question, unclear: Unclear, earlier: Mapping[str, Answer]
) -> Answer:
    """Say what was wrong; when there is a likely meaning, ask whether it was meant."""
    if unclear.suggestion is None:
        say(ctx, wrapped(ctx, f"  {unclear}", "  "))
        return None
    shown = answer_text(question, unclear.suggestion)
    if not confirm(ctx, f"  {unclear}. Did you mean {shown}", default=True):
        return None
    try:
        return check_answer(question, unclear.suggestion, earlier)
    except Unclear as still:
        say(ctx, wrapped(ctx, f"  {still}", "  "))
        return None


def _hint(question: Question) -> str:
    if question.type == "bool":
        return "y or n"
    if question.type == "choice":
        return "number or name"
    if question.type == "multi":
        return "numbers or names, separated by commas" + (
            "" if question.key == "goals" else "; or none"
        )
    if question.type == "number_or_null":
        return "a number, or blank if you do not know"
    if question.type == "int_or_null":  # a bare 0 is asked again (see parse_typed)
        return f"1-{question.max:g}, this month, or no"
    return f"{question.min:g}-{question.max:g}"


# --------------------------------------------------------------------------- the summary


def _summary_accepted(ctx: Context, library: Library, answers: dict[str, Answer]) -> bool:
    """Show every answer; Enter saves, a number changes that answer, q stops for now."""
    shown = [q for q in library.questions if q.key in answers]
    _print_summary(console(ctx), shown, answers)
    while True:
        prompt = "Enter to save these answers, a number to change one, q to stop >"
        typed = ask(ctx, wrapped(ctx, prompt) + " ")
        choice = typed.strip().lower()
        if not choice:
            return True
        if choice in ("q", "quit", "stop"):
            raise KeyboardInterrupt
        if is_whole_number(choice) and 1 <= int(choice) <= len(shown):
            answers.pop(shown[int(choice) - 1].key)  # asked again, then the summary
            return False
        say(ctx, wrapped(ctx, f"  type a number from 1 to {len(shown)}, or press Enter to save"))


NO_ANSWER = "no"  # how answer_text shows a no


def _print_summary(target: Console, shown: list[Question], answers: Mapping[str, Answer]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Your answers", show_header=False)
    table.add_column("#", justify="right")
    table.add_column("question")
    table.add_column("answer")
    noes: list[str] = []  # said in one paragraph, so the summary fits a 24-line terminal
    for number, question in enumerate(shown, 1):
        answer = answer_text(question, answers[question.key])
        if answer == NO_ANSWER:
            noes.append(f"{number} {question.short}")
        else:
            table.add_row(str(number), question.short, answer)
    target.print(table)
    if noes:
        target.print(Text(f"Answered no: {', '.join(noes)}."))
