"""Haven's default Risk Assessment Matrix (W10), in the text form an admin edits.

Format: a line starting ``?`` is a question; each ``-`` line below it an answer with its
score after ``=``; an answer ending ``[safeguarding]`` shows a child or adult at risk (W15).
It covers what both policies ask about: fear for safety, repeat victimisation, targeting
for who the victim is, disability and health, children, impact on daily life, isolation,
thoughts of moving, known violence or weapons, and police involvement.
"""

DEFAULT_TITLE = "Haven Risk Assessment Matrix"
DEFAULT_MEDIUM_FROM = 12
DEFAULT_HIGH_FROM = 24

DEFAULT_QUESTIONS = """\
? How afraid is the victim for their own or their family's safety?
- Not afraid = 0
- Somewhat afraid = 2
- Very afraid = 4
- Afraid to stay in the home = 6
? Has this happened before (repeat victimisation)?
- First time = 0
- Once or twice before = 2
- Often, or a campaign against them = 4
? Does the victim feel targeted for who they are (race, faith, disability, sexuality, age)?
- No = 0
- Possibly = 2
- Yes = 4
? Does a disability, illness or mental-health condition make the victim more vulnerable?
- No = 0
- Yes, with support in place = 2
- Yes, without support; an adult at risk = 4 [safeguarding]
? Are there children in the household, and are they affected?
- No children = 0
- Children, not directly affected = 1
- Children affected or frightened = 3
- A child is at risk of harm = 5 [safeguarding]
? How is it affecting sleep, work, school or going out?
- No effect = 0
- Some effect = 2
- Stopped working, going to school or going out = 4
? Is the victim isolated (no family, friends or support nearby)?
- Has people around them = 0
- Some support = 1
- Isolated = 3
? Is the victim thinking of moving because of this?
- No = 0
- Thinking about it = 2
- Wants to move now = 3
? Is violence, or a weapon, known or threatened?
- No = 0
- Threats of violence = 3
- Violence used, or a weapon seen or threatened = 6
? Are the police involved?
- Yes, investigating = 0
- Reported, no action yet = 1
- Not reported = 2
"""


class QuestionFormatError(ValueError):
    pass


def parse_questions(text: str) -> list[dict]:
    """Turn the text form into questions with their answers; raise with the line at fault."""
    questions: list[dict] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("?"):
            question = line[1:].strip()
            if not question:
                raise QuestionFormatError(f"Line {number}: the question has no text.")
            questions.append({"text": question[:300], "options": []})
        elif line.startswith("-"):
            if not questions:
                raise QuestionFormatError(f"Line {number}: an answer before any question.")
            body = line[1:].strip()
            safeguarding = body.endswith("[safeguarding]")
            body = body.removesuffix("[safeguarding]").strip()
            label, sep, score = body.rpartition("=")
            if not sep or not label.strip() or not score.strip().isdigit():
                raise QuestionFormatError(
                    f"Line {number}: write an answer as '- Answer = score' (a whole number)."
                )
            questions[-1]["options"].append(
                {"label": label.strip()[:200], "score": int(score), "safeguarding": safeguarding}
            )
        else:
            raise QuestionFormatError(
                f"Line {number}: start a question with '?' and an answer with '-'."
            )
    if not questions:
        raise QuestionFormatError("Write at least one question.")
    for question in questions:
        if len(question["options"]) < 2:
            raise QuestionFormatError(f"'{question['text']}' needs at least two answers.")
    return questions


def format_questions(question_set) -> str:
    lines = []
    for question in question_set.questions.all():
        lines.append(f"? {question.text}")
        for option in question.options.all():
            flag = " [safeguarding]" if option.safeguarding else ""
            lines.append(f"- {option.label} = {option.score}{flag}")
    return "\n".join(lines) + "\n"
