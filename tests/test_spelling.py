"""spelling: misspellings in real drafts are found, names and jargon are not, offline."""

from pathlib import Path

import pytest
from test_offline import _run_guarded, no_internet  # noqa: F401  (the socket guard fixture)

from followup_lint.engine.linter import Linter
from followup_lint.read.draft import read_text
from followup_lint.rulefiles.config import Config, ConfigError, build_ruleset, load
from followup_lint.ruletypes import spelling

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def only_spelling():
    return Linter(Config(root=ROOT), select=["spelling"])


def words_flagged(report):
    return [
        (f.message.split("'")[1], f.fix.edits[0].replacement if f.fix else None)
        for f in report.findings
        if f.rule == "spelling"
    ]


def lint(linter, text, context=None):
    return linter.lint_draft(read_text(text), context)


def test_true_positives_in_corpus_drafts(only_spelling):
    report = only_spelling.lint_path(CORPUS / "a-06-warehouse-thanks.txt")
    assert words_flagged(report) == [
        ("apreciate", "appreciate"),
        ("definately", "definitely"),
        ("oppurtunity", "opportunity"),
    ]
    report = only_spelling.lint_path(CORPUS / "a-31-logistics-supervisor-checkin.txt")
    assert words_flagged(report) == [("beleive", "believe"), ("diffrence", "difference")]


def test_jargon_names_and_british_spellings_in_corpus_drafts_pass(only_spelling):
    # Each of these is full of terms the general dictionary lacks (cytometry, organoid,
    # Debezium, backfills, glulam, neighbourhood, ...) and names (Søndergaard, Bühlmann).
    for name in (
        "a-41-lab-tech-transcript.md",
        "b-45-data-engineer-trial-week-recap.txt",
        "a-18-architect-thanks.eml",
        "a-44-data-scientist-followup.txt",
        "c-25-research-data-manager.md",
        "b-20-export-sales-latin1-hedged.eml",
    ):
        report = only_spelling.lint_path(CORPUS / name)
        assert words_flagged(report) == [], name


def test_names_given_in_context_are_never_flagged(only_spelling):
    # Names written in lower case, possessive or at a sentence start, each near a real word.
    # Without context the greeting and the capitalised uses still protect "brenan" and
    # "plannr"; the role's words are known only from the context.
    text = (
        "Subject: Thank you from the plannr interview\n\nDear Ms. Brenan,\n\n"
        "Plannr's offices were a joy to see, and brenan's team impressed me. I enjoyed hearing how "
        "plannr schedules its crews, and I would love to join as a rotaa lead.\n\nBest regards,\nJo\n"
    )
    context = {"interviewer": "Kaitlin Brenan", "company": "Plannr", "role": "Rotaa Lead"}
    assert words_flagged(lint(only_spelling, text, context)) == []
    without = {w.lower() for w, _ in words_flagged(lint(only_spelling, text))}
    assert "rotaa" in without


def test_capitalised_names_products_acronyms_urls_and_emails_pass(only_spelling):
    text = (
        "Thank you for showing me how Brightwave uses HubSpot, Looker and their CRM. Darnell "
        "mentioned the KPIs and the PDFs from Q3. My notes are at https://example.org/jo/notez and "
        "jo.smith@exampel.com, and the deck is in final-deck.pptx."
    )
    assert words_flagged(lint(only_spelling, text)) == []


def test_sentence_start_misspelling_is_found_but_a_tagged_name_is_not(only_spelling):
    report = lint(only_spelling, "Definately the best interview I have had. Kowalczyk showed me the yard.")
    assert words_flagged(report) == [("Definately", "Definitely")]


def test_text_speak_is_left_to_too_casual(only_spelling):
    assert words_flagged(lint(only_spelling, "thx again, lmk if u need anything, tmrw works too lol")) == []


def test_missing_apostrophes_and_run_together_words(only_spelling):
    report = lint(only_spelling, "I didnt get the chance to say thankyou to the team.")
    assert words_flagged(report) == [("didnt", "didn't"), ("thankyou", "thank you")]


def test_foreign_phrases_and_particle_compounds_pass_but_adjacent_slips_do_not(only_spelling):
    assert words_flagged(lint(only_spelling, "The cacio e pepe was superb and I enjoyed the NDC lookups.")) == []
    assert words_flagged(lint(only_spelling, "I definately recieve the schedule on Mondays.")) == [
        ("definately", "definitely"),
        ("recieve", "receive"),
    ]


def test_suggestion_fix_is_safe_only_when_there_is_one_candidate(only_spelling):
    [one] = lint(only_spelling, "I definately enjoyed it.").findings
    assert one.fix.safe is True and one.fix.edits[0].replacement == "definitely"
    [many] = lint(only_spelling, "I will try agian next week.").findings
    assert many.fix.safe is False and many.fix.edits[0].replacement == "again"
    assert "did you mean 'again'?" in many.message


def test_british_spellings_pass_by_default_and_language_makes_it_strict(tmp_path):
    text = "I realised the organisation's colour scheme and the centre's programme were well organized."
    default = Linter(Config(root=tmp_path), select=["spelling"])
    assert words_flagged(lint(default, text)) == []
    us = Linter(Config(root=tmp_path, language="en-US"), select=["spelling"])
    assert words_flagged(lint(us, text)) == [
        ("realised", "realized"),
        ("organisation", "organization"),
        ("colour", "color"),
        ("centre", "center"),
    ]
    gb = Linter(Config(root=tmp_path, language="en-GB"), select=["spelling"])
    assert words_flagged(lint(gb, text)) == [("organized", "organised")]
    # Pairs that differ in meaning, not spelling, are never flagged.
    assert words_flagged(lint(gb, "I attached the draft program and will check the meter readings.")) == []
    [f] = lint(us, "The colour was lovely.").findings
    assert f.message == "'colour' is the British spelling; this project writes en-US: 'color'."


def test_words_from_config_and_project_word_list(tmp_path):
    (tmp_path / ".followup-lint.yaml").write_text("words: [Zorblex, frobnicate]\n")
    (tmp_path / ".followup-lint-words.txt").write_text("# our terms\nquuxing  # a verb\nbazzle\n")
    cfg = load(tmp_path / ".followup-lint.yaml")
    linter = Linter(cfg, select=["spelling"])
    text = "Happy to frobnicate the zorblex and help with quuxing and bazzle. I also enjoyed the tuor."
    assert words_flagged(lint(linter, text)) == [("tuor", "tour")]
    bare = Linter(Config(root=ROOT), select=["spelling"])
    assert {w for w, _ in words_flagged(lint(bare, text))} >= {"frobnicate", "quuxing"}


def test_word_list_that_cannot_be_read_names_the_file(tmp_path):
    (tmp_path / ".followup-lint-words.txt").write_bytes(b"\xff\xfe\xfa bad")
    with pytest.raises(ConfigError) as err:
        build_ruleset(Config(root=tmp_path))
    assert err.value.path.endswith(".followup-lint-words.txt") and "cannot read the word list" in err.value.message


def test_a_draft_in_another_language_gets_one_note(only_spelling):
    text = (
        "Estimada Sra. García,\n\nMuchas gracias por la entrevista del martes. Me gustó mucho conocer "
        "al equipo y estoy muy interesada en el puesto. Quedo a su disposición para cualquier "
        "información adicional.\n\nAtentamente,\nLucía"
    )
    report = lint(only_spelling, text)
    assert [f for f in report.findings if f.rule == "spelling"] == []
    assert report.notes == [
        "spelling not checked: the draft looks like Spanish, and the spelling rule knows English only"
    ]


def test_a_foreign_phrase_in_an_english_draft_is_not_flagged(only_spelling):
    text = "Thank you for the interview; as we say in Montréal, merci pour votre temps. I remain interested."
    assert words_flagged(lint(only_spelling, text)) == []


def test_cost_is_capped_on_a_draft_full_of_slips(only_spelling, monkeypatch):
    from followup_lint.language.dictionary import english

    calls = []
    real_far = english().far
    monkeypatch.setattr(english(), "far", lambda w: calls.append(w) or real_far(w))
    slips = " ".join(["definately recieve goverment enviroment schedual greatful buisness wierd"] * 6)
    report = lint(only_spelling, f"Thank you. {slips}.")
    assert len(report.findings) == spelling.MAX_FINDINGS
    assert len(calls) <= spelling.MAX_FAR_SEARCHES


def test_full_lint_with_spelling_opens_no_network_socket(no_internet):
    linter = Linter(Config(root=ROOT))
    report = linter.lint_path(CORPUS / "a-06-warehouse-thanks.txt")
    assert "spelling" in {f.rule for f in report.findings}


@pytest.mark.slow
def test_cli_with_spelling_in_a_process_with_sockets_blocked(tmp_path):
    (tmp_path / "d.txt").write_text("Dear Sam,\n\nThank you for the oppurtunity to meet the team.\n\nBest,\nJo\n")
    proc = _run_guarded(["--no-cache", "d.txt"], tmp_path)
    assert "network access attempted" not in proc.stderr + proc.stdout
    assert "[spelling] 'oppurtunity' looks misspelled; did you mean 'opportunity'?" in proc.stdout, proc.stderr
