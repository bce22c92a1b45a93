"""Issue 13, judgement round 5 (set E): pushy by mechanism. Ultimatums (a condition and the
writer's consequence), an answer pinned to a time the writer sets, an indirect question whether
they decided, doubt that anyone reads, waits named with a verb, escalation by copying a senior
person; and the near misses: questions about terms, one polite nudge, ASAP about their own
need, a reason clause with "why", a demand to match put conditionally. Each case is written for
this test (not copied from the issue or from a blind draft). Every pushy case failed before the
change; the near misses either failed before (false alarms removed) or guard a new pattern
against reaching too far (an alternative after "or", a polite ask, a condition with "if")."""

import pytest
from body_drafts import lint_body


def _rules(linter, body, **context):
    return {f.rule for f in lint_body(linter, body, **context).findings}


PUSHY = [
    # ultimatum: the writer's consequence after "or" / "otherwise"
    "Thanks for the offer. Raise the base to 95 by Wednesday or I will accept the other firm's.",
    "either you guys come up with a better number or im signing with them",
    "Thank you for the offer. Sort out the relocation package this week or I walk.",
    # an answer pinned to a time the writer sets, in learner English and lower case too
    "Thank you for the interview. Sir, please revert back with decision at the earliest possible.",
    "pls tell me today if i got it, i have another offer",
    "Thank you for the interview. Kindly inform me the result by today itself.",
    # whether they have decided, as an indirect question
    "Thanks again for tuesday. just wondering if you all decided on the shift lead role yet",
    # doubt that anyone reads or answers
    "Still keen on the job, assuming somebody there actually reads these.",
    "Should I just assume nobody there even checked my portfolio?",
    # the silence, the wait named with a verb
    "still no answer from the recruiter, this is getting ridiculous",
    "Thank you for the interview. Nobody has responded for nearly three weeks now.",
    # escalation: a senior person made the target of a copy
    "I've cc'd your regional director so this finally gets looked at.",
    # the reader's decision owed by a time, however the time is said
    "Thank you for the interview. Respectfully, I must have your final decision by close of business tomorrow.",
    "Thank you for the interview. Could you give me a yes or no by tonight?",
    "Thanks for the interview. Waiting on you guys for like three weeks now, just fyi.",
    # a condition on their answer and the writer's consequence
    "Thanks for the interview. Honestly? If I don't hear anything by tomorrow I'm taking the other offer.",
]

NOT_PUSHY = [
    # an alternative the writer offers, not a consequence
    "Thank you for the interview. I can send my portfolio today, or I can bring a printed copy on Thursday.",
    # a question about terms
    "Thank you for the offer. Could you tell me how the on-call rota works and whether overtime is paid?",
    # one polite nudge
    "Thank you for the interview. I wanted to ask if there is any update on the analyst position.",
    # ASAP about their need; urgent as a kind of work
    "Thank you for the call. It sounds like your team needs a second analyst asap, and I'd love to help.",
    "Thank you for the interview. In my last role I had to respond to urgent tickets within an hour.",
    # a reason clause, not a question
    "Thank you for the interview. That is why I was glad to hear about your new warehouse.",
    # helping with the decision; a condition on their choice
    "Thank you for the interview. If there is anything more you need from me to reach a decision, I can send it.",
    "Thank you for the offer. Could you match their package if you decide to go ahead with me?",
    # terms put conditionally
    "Thank you for the offer. I would need you to match their base salary to make the move work.",
    # their timeline reported; an imagined refusal; a senior person of one's own
    "Thank you again. You said the board aimed to decide by today, so I thought I'd check in.",
    "Thank you for the interview. I'm happy to wait another couple of weeks while the panel meets.",
    "Thank you for the interview. If it is a no this time, I would still like to be considered for future roles.",
    "Thank you for the interview. I've forwarded the reference letter from my previous manager, as you requested.",
    # a clause describing what they did, not a request pinned to a time
    "Thank you for taking the time to tell me today about the new clinic in Harrow.",
    # their timeline, reported by someone else on their side
    "Thanks again. The recruiter mentioned you would decide by the 12th, so I am writing on the 13th to check in.",
    # a wait that frames a thank-you
    "It has been a few weeks since our call, and I wanted to thank you again for the tour of the lab.",
]


@pytest.mark.parametrize("body", PUSHY)
def test_pressure_by_mechanism_is_pushy(linter, body):
    assert "pushy" in _rules(linter, body, kind="check-in")


@pytest.mark.parametrize("body", NOT_PUSHY)
def test_near_misses_are_not_pushy(linter, body):
    assert "pushy" not in _rules(linter, body, kind="check-in")
