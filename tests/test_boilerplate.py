"""Boilerplate and provenance lines, on lines written for these tests."""

from newsgraph.boilerplate import find_boilerplate, short_licence


def kinds(text: str) -> list[str]:
    return [b.kind for b in find_boilerplate(text)[0]]


def test_creative_commons_notice_gives_publisher_and_licence() -> None:
    text = ("The council met on Monday.\nAll content by Harbour Daily Press is licensed under a Creative Commons "
            "Attribution-ShareAlike 4.0 International License.")
    spans, prov = find_boilerplate(text)
    assert [b.kind for b in spans] == ["licence"]
    assert text[spans[0].start : spans[0].end].startswith("All content by Harbour Daily Press")
    assert prov.publisher == "Harbour Daily Press"
    assert prov.licence == "CC BY-SA 4.0"


def test_short_licence_names() -> None:
    assert short_licence("Creative Commons Attribution 4.0 International License") == "CC BY 4.0"
    assert short_licence("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 License") == "CC BY-NC-ND 4.0"


def test_dateline_byline_and_credit_lines() -> None:
    text = ("By Maria Gonzalez and Tom Ellis\n"
            "NAIROBI, Kenya (Reuters) - The central bank held rates steady on Thursday.\n"
            "(Reporting by Duncan Miriri; Editing by Alex Richardson)")
    spans, prov = find_boilerplate(text)
    assert [b.kind for b in spans] == ["byline", "dateline", "credit"]
    assert "Reuters" in prov.credit and "Maria Gonzalez and Tom Ellis" in prov.credit


def test_copyright_line() -> None:
    spans, prov = find_boilerplate("Prices rose again.\n© 2021 Lakeside Media Group. All rights reserved.")
    assert [b.kind for b in spans] == ["copyright"]
    assert prov.publisher == "Lakeside Media Group" and prov.licence == "All rights reserved"


def test_plain_news_has_no_boilerplate() -> None:
    assert kinds("The minister said on Monday that talks with the unions - long stalled - would resume.") == []


def test_capitalised_heading_is_not_a_dateline() -> None:
    assert kinds("QUESTIONS ABOUT THE PLAN REMAIN — The council has not voted.") == []
