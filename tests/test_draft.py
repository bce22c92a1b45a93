"""Reading drafts: decoding, front matter, Markdown, .eml, regions and positions.

Fixtures live in tests/fixtures/drafts/ and are byte-exact (see the .gitattributes there).
"""

from __future__ import annotations

import datetime
import os
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_lint.model.draft import Draft, DraftError, Piece
from followup_lint.read.draft import read_bytes, read_path, read_text
from followup_lint.read.markdown import blank_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "drafts"


def read(name: str) -> Draft:
    return read_path(FIXTURES / name, display=name)


def regions(draft: Draft) -> dict[str, str]:
    return {name: draft.region_text(name) for name in draft.regions}


def where(draft: Draft, word: str, start: int = 0) -> tuple[int, int, bool]:
    return draft.locate(draft.text.index(word, start))


# --- plain text ------------------------------------------------------------------------------


def test_plain_txt_regions():
    draft = read("plain.txt")
    assert draft.format == "txt"
    assert draft.notes == [] and draft.headers == {} and draft.front_matter == {}
    assert regions(draft) == {
        "greeting": "Hi Sam,",
        "body": "Thank you for taking the time to meet with me on Tuesday. I enjoyed hearing how the analytics\n"
        "team supports the warehouse managers.\n\nI remain very interested in the Data Analyst role.",
        "sign-off": "Best regards,",
        "signature": "Jordan Lee\n(555) 123-4567",
    }
    assert draft.text == draft.raw == (FIXTURES / "plain.txt").read_bytes().decode("utf-8")
    assert where(draft, "warehouse") == (4, 19, False)


def test_front_matter_and_subject_line():
    draft = read("front-matter.txt")
    assert draft.front_matter == {
        "kind": "thank-you",
        "interview_date": datetime.date(2025, 3, 4),
        "company": "Acme Logistics",
        "mood": "hopeful",
    }
    assert draft.front_matter_lines == {"kind": 2, "interview_date": 3, "company": 4, "mood": 5}
    assert draft.notes == ["unknown front-matter key 'mood' (line 5)"]
    assert draft.headers == {"subject": "Thank you for Tuesday's interview"}
    assert regions(draft) == {
        "front-matter": "---\nkind: thank-you\ninterview_date: 2025-03-04\ncompany: Acme Logistics\nmood: hopeful\n---",
        "headers": "Subject:",
        "subject": "Thank you for Tuesday's interview",
        "greeting": "Dear Ms. Okafor,",
        "body": "Thank you for the conversation about the operations role.",
        "sign-off": "Sincerely,",
        "signature": "Jordan Lee",
    }
    assert where(draft, "Thank you for Tue") == (7, 10, False)
    assert where(draft, "Okafor") == (9, 10, False)


def test_crlf_columns_count_code_points():
    draft = read("crlf.txt")
    # line 5 is "Cafe\u0301 \U0001F642 my salary …": a combining accent and an emoji before the word
    assert where(draft, "salary") == (5, 12, False)
    assert where(draft, "Jordan") == (8, 1, False)
    assert draft.text == (FIXTURES / "crlf.txt").read_bytes().decode("utf-8")  # CRLF untouched
    assert regions(draft)["body"] == (
        "Thanks again for the tour of the lab.\r\n\r\nCafe\u0301 \U0001f642 my salary question can wait for a later stage."
    )
    assert regions(draft)["sign-off"] == "Best,"


def test_lone_cr_ends_lines():
    draft = read("lone-cr.txt")
    assert where(draft, "budget") == (4, 5, False)
    assert regions(draft) == {
        "greeting": "Hello Dr. Chen,",
        "body": "I appreciated your questions about the pilot study.\rThe budget discussion was especially useful.",
        "sign-off": "Kind regards,",
        "signature": "Jordan",
    }


def test_utf16_with_bom():
    draft = read("utf16.txt")
    assert draft.encoding == "utf-16"
    assert draft.text.startswith("Hi Sam,\r\n")
    assert regions(draft)["sign-off"] == "Cheers,"
    assert where(draft, "interview") == (3, 19, False)


def test_utf8_bom_is_dropped_and_takes_no_column():
    draft = read("utf8-bom.txt")
    assert draft.encoding == "utf-8-sig"
    assert draft.text.startswith("Hi Sam,") and draft.raw.startswith("Hi")
    assert draft.locate(0) == (1, 1, False)
    assert regions(draft)["greeting"] == "Hi Sam,"


def test_cp1252_fallback_with_note():
    draft = read("cp1252.txt")
    assert draft.encoding == "cp1252"
    assert draft.notes == [
        "read as Windows-1252: not valid UTF-8 (line 3); if letters look wrong, save the file as UTF-8"
    ]
    assert regions(draft)["body"] == "Thank you for yesterday\u2019s interview \u2013 it was a pleasure."


def test_unclosed_front_matter_is_read_as_text():
    draft = read("unclosed-front-matter.txt")
    assert draft.front_matter == {}
    assert "never closed" in draft.notes[0]
    assert "front-matter" not in draft.regions
    assert regions(draft)["body"].startswith("---\nHi Sam,")


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_markup_is_blanked_in_place():
    draft = read("markup.md")
    raw = (FIXTURES / "markup.md").read_bytes().decode("utf-8")
    assert draft.raw == raw and len(draft.text) == len(raw)
    assert [i for i, c in enumerate(draft.text) if c == "\n"] == [i for i, c in enumerate(raw) if c == "\n"]
    assert draft.front_matter == {"kind": "check-in"}
    assert regions(draft) == {
        "front-matter": "---\nkind: check-in\n---",
        "greeting": "Hi   Sam  ,",
        "body": "I wanted to check in on the  Data Analyst  role and share my  portfolio  notes.\n\n"
        "   What I can send\n\n"
        "  the  dashboard write-up                            you asked about\n"
        "  my snake_case naming guide",
        "quoted": "> Could you send the case study?",
        "sign-off": "Best,",
        "signature": "Jordan",
    }
    assert "example.com" not in draft.text and "remove before" not in draft.text
    assert where(draft, "snake_case") == (11, 6, False)  # same column as in the file


@pytest.mark.parametrize(
    "source, expected",
    [
        ("**Best,**", "  Best,  "),
        ("__init__ and snake_case", "  init   and snake_case"),
        ("2 * 3 = 6", "2 * 3 = 6"),
        ("### Title ###", "    Title    "),
        ("#hashtag", "#hashtag"),
        ("* item *one*", "  item  one "),
        ('![logo](a.png) [site](https://x.io "t")', "  logo          site                   "),
        ("`a*b*c` *d*", " a*b*c   d "),
        ("```python", "         "),
        ("* * *", "     "),
        ("-- ", "-- "),
        ("> quoted *text*", "> quoted  text "),
        ("a <!-- x\ny --> b", "a       \n      b"),
    ],
)
def test_blank_markdown(source, expected):
    assert blank_markdown(source) == expected


# --- quoted threads, greetings, sign-offs --------------------------------------------------------


def test_gmail_reply_with_wrapped_attribution():
    assert regions(read("gmail-reply.txt")) == {
        "greeting": "Hi Priya,",
        "body": "Thank you for the update. I'm happy to send the writing sample by Friday.",
        "sign-off": "Best,",
        "signature": "Jordan",
        "quoted": "On Tue, Mar 4, 2025 at 10:14 AM Priya Raman <priya.raman@example.com>\nwrote:\n> Hi Jordan,\n>\n"
        "> Thanks for coming in yesterday. Could you send a writing sample?\n>\n> Priya",
    }


def test_bottom_posted_reply_keeps_the_reply_in_the_body():
    draft = read("gmail-bottom-post.txt")
    assert regions(draft) == {
        "greeting": "Hi Priya,",
        "quoted": "On Tue, Mar 4, 2025 at 10:14 AM Priya Raman <priya@example.com> wrote:\n"
        "> Could you send a writing sample?",
        "body": "Yes, it is attached.",
        "sign-off": "Best,",
        "signature": "Jordan",
    }


def test_outlook_reply():
    assert regions(read("outlook-reply.txt")) == {
        "greeting": "Dear Mr. Alvarez,",
        "body": "Thank you for letting me know. I'm still very interested in the position.",
        "sign-off": "Kind regards,",
        "signature": "Jordan Lee",
        "quoted": "________________________________\nFrom: Luis Alvarez <l.alvarez@example.com>\n"
        "Sent: Monday, March 3, 2025 4:02 PM\nTo: Jordan Lee <jordan@example.com>\nSubject: Interview follow-up\n\n"
        "Hi Jordan, we are still deciding.",
    }


def test_forwarded_message():
    draft = read("forwarded.txt")
    assert regions(draft)["quoted"].startswith("---------- Forwarded message ---------\nFrom: Recruiting")
    assert regions(draft)["quoted"].endswith("Congratulations!")
    assert regions(draft)["sign-off"] == "Thanks,"
    assert regions(draft)["body"] == "Forwarding the offer details you asked about; I need to answer by March 14."


def test_original_message_and_sign_off_without_comma():
    assert regions(read("original-message.txt")) == {
        "greeting": "Hello,",
        "body": "Just checking in on the analyst role. Is there anything else I can send you?",
        "sign-off": "Regards",
        "signature": "Jordan",
        "quoted": "-----Original Message-----\nFrom: Sam Lee\nSent: Friday, February 28, 2025\nSubject: Next steps\n\n"
        "We will be in touch.",
    }


def test_inline_replies_split_the_body():
    draft = read("inline-replies.txt")
    assert [draft.text[s:e] for s, e in draft.regions["body"]] == [
        "Answers below.",
        "Yes, Tuesday or Wednesday works.",
        "I can send three.",
    ]
    assert [draft.text[s:e] for s, e in draft.regions["quoted"]] == [
        "> Are you available next week?",
        "> Do you have references?\n> Two would be enough.",
    ]
    assert regions(draft)["sign-off"] == "Thanks,"


def test_dash_dash_signature_without_sign_off():
    assert regions(read("signature-block.txt")) == {
        "greeting": "Hi Sam,",
        "body": "Thanks for the chat this morning; I'm excited about the role.",
        "signature": "--\nJordan Lee\njordan@example.com",
    }


def test_bare_signature_and_greeting_sharing_a_line():
    assert regions(read("bare-signature.txt")) == {
        "greeting": "Good morning Ms. Okafor.",
        "body": "Thank you for meeting me.\n\nI look forward to hearing from you.",
        "signature": "Jordan Lee\nhttps://www.linkedin.com/in/jordanlee",
    }


@pytest.mark.parametrize(
    "first_line, greeting",
    [
        ("Hi Sam, thanks for meeting with me.", "Hi Sam,"),
        ("Dear Dr. Lee: thank you.", "Dear Dr. Lee:"),
        ("Hello!", "Hello!"),
        ("Hey Jess!! Great to meet you.", "Hey Jess!!"),
        ("Good afternoon Ms. Okafor", "Good afternoon Ms. Okafor"),
        ("To whom it may concern,", "To whom it may concern,"),
        (
            "Dear Principal Whitaker and members of the hiring committee,",
            "Dear Principal Whitaker and members of the hiring committee,",
        ),
        ("Dear Sam, I hope you and the rest of the hiring committee are well, truly.", "Dear Sam,"),
        ("Ms. Okafor,", "Ms. Okafor,"),
        ("Hiring Team:", "Hiring Team:"),
        ("Hi Sam \u2013 thanks for today.", "Hi Sam \u2013"),
        ("Morning meetings are the worst, honestly, for everyone involved.", None),
        ("Morning all, quick update.", "Morning all,"),
        ("Yo!", "Yo!"),
        ("Thanks, Sam.", None),
        ("Hello and thank you for meeting me yesterday afternoon!", None),
        ("Thank you for the interview.", None),
    ],
)
def test_greeting(first_line, greeting):
    draft = read_text(first_line + "\n\nI am still very interested in the role and the team.\n")
    assert draft.region_text("greeting") == (greeting or "")
    if greeting and first_line != greeting:
        rest = first_line[len(greeting) :].strip()
        assert draft.region_text("body").startswith(rest)


@pytest.mark.parametrize(
    "ending, sign_off, signature",
    [
        ("Thanks, Sam", "Thanks,", "Sam"),
        ("Best, Jordan Lee", "Best,", "Jordan Lee"),
        ("All the best,\nJordan", "All the best,", "Jordan"),
        (
            "Thank you so much!\nJordan Lee\nData Analyst, Acme\njordan@example.com",
            "Thank you so much!",
            "Jordan Lee\nData Analyst, Acme\njordan@example.com",
        ),
        ("Thank you for your time and consideration.\nJordan", "", "Jordan"),
        ("Thanks!\nI look forward to hearing from you.", "", ""),
        ("Thanks again for your time,\nJordan", "", "Jordan"),
        (
            "Yours sincerely,\n\nElena Vasquez\nSolicitor (England & Wales) | Attorney at Law (New York)",
            "Yours sincerely,",
            "Elena Vasquez\nSolicitor (England & Wales) | Attorney at Law (New York)",
        ),
        ("cheers\nTy\n\nSent from my iPhone", "cheers", "Ty\n\nSent from my iPhone"),
        ("Best,\nJordan\n\n-- \nSent from my phone", "Best,", "Jordan\n\n-- \nSent from my phone"),
        ("Best,\nJordan\n\nP.S. I've attached the case study you mentioned.", "Best,", "Jordan"),
        ("Thanks,\nJordan\nSent from my iPhone", "Thanks,", "Jordan\nSent from my iPhone"),
        ("I look forward to hearing from you.\nJordan\nSent from my iPhone", "", "Jordan\nSent from my iPhone"),
    ],
)
def test_sign_off_and_signature(ending, sign_off, signature):
    draft = read_text("Hi Sam,\n\nI enjoyed our conversation about the new warehouse dashboards.\n\n" + ending + "\n")
    assert draft.region_text("sign-off") == sign_off
    assert draft.region_text("signature") == signature
    assert "enjoyed our conversation" in draft.region_text("body")


def test_postscript_is_body():
    draft = read_text("Hi Sam,\n\nThanks for today.\n\nBest,\nJordan\n\nPS: my portfolio is at https://x.io\n")
    assert [draft.text[s:e] for s, e in draft.regions["body"]] == [
        "Thanks for today.",
        "PS: my portfolio is at https://x.io",
    ]
    assert draft.region_text("signature") == "Jordan"


def test_quoted_lines_are_never_the_greeting():
    draft = read_text("> Hi Jordan,\n> when can you start?\n\nHi Sam,\nNext month.\n")
    assert draft.region_text("greeting") == "Hi Sam,"
    assert draft.region_text("quoted") == "> Hi Jordan,\n> when can you start?"


# --- .eml ------------------------------------------------------------------------------------


def test_eml_plain_offsets_are_file_positions():
    draft = read("plain.eml")
    assert draft.format == "eml"
    assert draft.text == (FIXTURES / "plain.eml").read_bytes().decode("utf-8")
    assert [p.decoded for p in draft.pieces] == [False]
    assert draft.headers == {
        "subject": "Thank you for today",
        "date": "Tue, 04 Mar 2025 17:05:00 -0500",
        "from": "Jordan Lee <jordan@example.com>",
        "to": "Sam Ortiz <sam.ortiz@example.com>",
    }
    assert where(draft, "salary") == (11, 39, False)
    assert where(draft, "Thank you for today") == (3, 10, False)
    assert regions(draft)["subject"] == "Thank you for today"
    assert regions(draft)["body"] == "Thank you for the caf\u00e9 chat about the salary analytics dashboard."
    assert regions(draft)["signature"] == "Jordan Lee"
    headers = draft.region_text("headers")
    assert headers.startswith("From: Jordan Lee") and "Subject:\n" in headers and "Thank you for today" not in headers


def test_eml_quoted_printable_positions_are_in_the_decoded_body():
    draft = read("quoted-printable.eml")
    body = draft.pieces[1]
    assert (body.source, body.file_line) == ("quoted-printable body", 9)
    assert regions(draft)["body"] == (
        "Thank you for the caf\u00e9 chat. I especially enjoyed the part about the warehouse salary dashboard."
    )
    assert where(draft, "salary") == (3, 80, True)
    assert draft.piece_at(draft.text.index("salary")) is body
    assert where(draft, "Hi Sam") == (1, 1, True)
    assert where(draft, "Content-Transfer") == (7, 1, False)  # the header block stays the file's


def test_eml_base64():
    draft = read("base64.eml")
    assert draft.pieces[1].source == "base64 body"
    assert (
        regions(draft)["body"] == "Thank you for the interview.\r\nThe team\u2019s salary survey sounded fascinating."
    )
    assert where(draft, "salary") == (4, 12, True)
    assert regions(draft)["sign-off"] == "Best,"


def test_eml_multipart_alternative_is_read_in_place():
    draft = read("alternative.eml")
    raw = (FIXTURES / "alternative.eml").read_bytes().decode("utf-8")
    assert draft.raw == raw and len(draft.text) == len(raw)
    assert "<p>" not in draft.text and "--b1" not in draft.text  # the other parts are blanked
    assert where(draft, "salary") == (14, 34, False)
    assert regions(draft)["body"] == "Thank you for the interview. The salary dashboard demo was great."
    assert draft.notes == []


def test_eml_html_only():
    draft = read("html-only.eml")
    assert draft.notes == ["HTML-only email reduced to text"]
    assert draft.pieces[1].source == "HTML body"
    assert regions(draft)["body"] == "Thank you for the interview & the tour of the salary dashboard."
    assert regions(draft)["quoted"] == "On Mon, Mar 3, 2025 at 9:00 AM Sam Ortiz wrote:\n\n> See you tomorrow."
    assert "color: red" not in draft.text
    assert where(draft, "salary") == (3, 47, True)


def test_eml_rfc2047_subject_is_decoded():
    draft = read("rfc2047-subject.eml")
    assert draft.headers["subject"] == "Thank you \u2014 great chat"
    assert draft.headers["from"] == "Jos\u00e9 Lee <jose@example.com>"
    assert regions(draft)["subject"] == "Thank you \u2014 great chat"
    assert draft.pieces[-1] == Piece(275, 297, "RFC 2047 subject", 3)
    assert where(draft, "great") == (1, 13, True)
    assert "=?UTF-8?B?" in draft.region_text("headers")  # the encoded form is a header, not the subject
    assert regions(draft)["body"] == "Thanks for the chat."
    assert where(draft, "Thanks for") == (9, 1, False)  # the body itself is still read in place


def test_eml_missing_boundary_is_salvaged():
    draft = read("no-boundary.eml")
    assert draft.notes[0] == "malformed MIME: no boundary in multipart"
    assert "boundary lines" in draft.notes[1]
    assert regions(draft)["body"] == "Is there anything else I can send you?"
    assert where(draft, "anything") == (12, 10, False)


def test_eml_unusable_mime_falls_back_to_the_raw_body():
    draft = read("unparseable-mime.eml")
    assert "raw body was read as text" in draft.notes[-1]
    assert regions(draft)["greeting"] == "Hi Sam,"
    assert where(draft, "anything") == (7, 10, False)


def test_eml_through_read_text():
    draft = read_text("Subject: Hi\n\nHi Sam,\n\nThanks for today.\n\nBest,\nJo\n", "buffer.eml")
    assert draft.format == "eml" and draft.headers["subject"] == "Hi"
    assert regions(draft)["body"] == "Thanks for today."


def test_eml_without_a_text_part():
    data = (
        b"Subject: Slides\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment\r\n\r\nJVBERi0=\r\n--x--\r\n"
    )
    draft = read_bytes(data, "slides.eml")
    assert "no text part" in draft.notes[-1]
    assert set(draft.regions) == {"headers", "subject"}


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, message",
    [
        ("empty.txt", "empty.txt: empty draft: nothing to check"),
        ("binary.txt", "binary.txt: binary file, not a draft (it contains NUL bytes)"),
        (
            "bad-yaml.txt",
            "bad-yaml.txt:5: front matter is not valid YAML: expected ',' or ']', but got "
            "'<stream end>'; fix it or remove the --- block",
        ),
        (
            "bad-date.txt",
            "bad-date.txt:3: front matter value for 'interview_date' is not valid: "
            "day is out of range for month; fix it or remove the --- block",
        ),
        (
            "not-mapping.txt",
            "not-mapping.txt:2: front matter must be a mapping of 'key: value' lines, "
            "not a list; fix it or remove the --- block",
        ),
    ],
)
def test_unreadable_fixtures(name, message):
    with pytest.raises(DraftError) as info:
        read(name)
    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_yaml_error_line_and_attributes():
    with pytest.raises(DraftError) as info:
        read_text("---\nkind: thank-you\nrole: [\n---\nHi\n", "d.txt")
    assert (info.value.path, info.value.line) == ("d.txt", 4)
    assert info.value.message.startswith("front matter is not valid YAML")


def test_front_matter_scalar_is_not_a_mapping():
    with pytest.raises(DraftError, match=r"^x.txt:2: front matter must be a mapping .* not a single value"):
        read_text("---\njust words\n---\nHi\n", "x.txt")


def test_empty_front_matter_is_fine():
    draft = read_text("---\n---\nHi Sam,\n\nThanks.\n")
    assert draft.front_matter == {} and draft.regions["front-matter"] == [(0, 7)]


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DraftError, match=r"nope.txt: no such file; check the path$"):
        read_path(tmp_path / "nope.txt", display="nope.txt")
    with pytest.raises(DraftError, match=r": is a directory, not a draft file$"):
        read_path(tmp_path)


def test_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Hi\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(DraftError, match=r"locked.txt: permission denied; check the file's permissions$"):
        read_path(path, display="locked.txt")


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"Hi Sam,\n" + b"a" * 100)
    with pytest.raises(DraftError, match=r"big.txt: is 108 bytes, over the 50-byte limit for a draft"):
        read_path(path, display="big.txt", max_bytes=50)
    assert read_path(path, max_bytes=200).format == "txt"


def test_draft_error_formats():
    assert str(DraftError("a.txt", "bad\nthing", line=3)) == "a.txt:3: bad thing"
    assert str(DraftError("a.txt", "bad")) == "a.txt: bad"
    copy = pickle.loads(pickle.dumps(DraftError("a.txt", "bad", line=3)))
    assert (copy.path, copy.line, copy.message) == ("a.txt", 3, "bad")


def test_locate_and_region_helpers():
    draft = read_text("Hi Sam,\n\nThanks.\n\nBest,\nJo")
    assert draft.region_of(0) == "greeting"
    assert draft.region_of(7) is None  # the newline after "Hi Sam,"
    assert draft.region_of(draft.text.index("Thanks")) == "body"
    assert draft.region_of(len(draft.text) - 1) == "signature"
    assert draft.locate(len(draft.text)) == (6, 3, False)
    with pytest.raises(ValueError):
        draft.locate(len(draft.text) + 1)
    assert draft.region_text("quoted") == ""


# --- properties ------------------------------------------------------------------------------

TOKENS = [
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\x0c",
    "\x85",
    " ",
    "\t",
    "\U0001f600",
    "e\u0301",
    ">",
    "> ",
    "---",
    "---\n",
    "--",
    "-- \n",
    "...",
    "Hi ",
    "Dear ",
    "Sam",
    "Best,",
    "Thanks, Sam",
    "Regards",
    ",",
    ":",
    "!",
    ".",
    "On ",
    " wrote:",
    "From: ",
    "Sent: ",
    "To: ",
    "Subject: ",
    "-----Original Message-----",
    "*",
    "_",
    "`",
    "#",
    "[a](b)",
    "<!--",
    "-->",
    "kind: x",
    "a: [",
    "jo@x.io",
    "555-123-4567",
    "https://x.io",
    "Jordan Lee",
]
drafts = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=40).map("".join)


def naive_positions(text: str) -> list[tuple[int, int]]:
    """(line, column) of every offset 0..len(text), counted one character at a time."""
    out, line, col = [], 1, 1
    for i, ch in enumerate(text):
        out.append((line, col))
        if ch == "\n" or (ch == "\r" and text[i + 1 : i + 2] != "\n"):
            line, col = line + 1, 1
        else:
            col += 1
    out.append((line, col))
    return out


def check_invariants(draft: Draft) -> None:
    text = draft.text
    owner: dict[int, str] = {}
    everything = []
    for name, ranges in draft.regions.items():
        assert ranges == sorted(ranges), name
        for s, e in ranges:
            assert 0 <= s < e <= len(text), (name, s, e)
            assert not text[s].isspace() and not text[e - 1].isspace(), (name, text[s:e])
            everything.append((s, e, name))
    everything.sort()
    for (s1, e1, n1), (s2, e2, n2) in zip(everything, everything[1:]):
        assert e1 <= s2, f"{n1} {s1}-{e1} overlaps {n2} {s2}-{e2}"
    for s, e, name in everything:
        for i in range(s, e):
            owner[i] = name
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert i in owner, f"{ch!r} at {i} belongs to no region in {text!r}"
        assert draft.region_of(i) == owner.get(i)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=drafts, fmt=st.sampled_from(["x.txt", "x.md"]))
def test_any_text_reads_or_fails_cleanly(text, fmt):
    try:
        draft = read_text(text, fmt)
    except DraftError as e:
        assert "\n" not in str(e)
        return
    check_invariants(draft)
    assert len(draft.text) == len(text)
    naive = naive_positions(draft.text)
    for i in range(len(draft.text) + 1):
        assert draft.locate(i) == (*naive[i], False)


EML_TOKENS = TOKENS + [
    "Content-Type: multipart/mixed; boundary=b\n",
    "Content-Type: text/html\n",
    "\n--b\n",
    "\n--b--\n",
    "Content-Transfer-Encoding: base64\n",
    "Content-Transfer-Encoding: quoted-printable\n",
    "=C3=A9",
    "=\n",
    "Subject: =?UTF-8?B?SGk=?=\n",
    "<p>",
    "</p>",
    "<br>",
    "<blockquote>",
    "&amp;",
    "SGVsbG8=",
    "Content-Type: text/plain; charset=bogus\n",
    "\n\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(EML_TOKENS), st.text(max_size=4)), max_size=40).map("".join))
def test_any_eml_reads_or_fails_cleanly(text):
    try:
        draft = read_bytes(text.encode("utf-8", "replace"), "x.eml")
    except DraftError:
        return
    check_invariants(draft)
    pieces = draft.pieces
    assert pieces[0].start == 0 and pieces[-1].end == len(draft.text)
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
    naive = naive_positions(draft.text)
    file_end = pieces[1].start if len(pieces) > 1 else len(draft.text) + 1
    for i in range(len(draft.text) + 1):
        line, col, decoded = draft.locate(i)
        assert decoded == (i >= file_end)
        if not decoded:
            assert (line, col) == naive[i]
        else:
            assert line >= 1 and col >= 1


def test_read_path_accepts_pathlike_and_display(tmp_path):
    path = tmp_path / "note.markdown"
    path.write_bytes(b"Hi Sam,\r\n\r\n*Thanks* for today.\r\n")
    draft = read_path(path, display="shown.md")
    assert draft.path == "shown.md" and draft.format == "md"
    assert draft.region_text("body") == "Thanks  for today."
    assert os.fspath(path).endswith(".markdown")
