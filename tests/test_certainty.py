"""Certainty of statements and events, and scare quotes, on sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

from newsgraph.records import Document, Event, Statement

Analyze = Callable[..., Document]


def statement_with(doc: Document, fragment: str) -> Statement:
    hits = [s for s in doc.statements if fragment in s.content.text]
    assert hits, f"no statement contains {fragment!r}; got {[s.content.text for s in doc.statements]}"
    return hits[0]


def event_at(doc: Document, trigger: str) -> Event:
    hits = [e for e in doc.events if e.trigger.text == trigger]
    assert hits, f"no event with trigger {trigger!r}; got {[(e.type, e.trigger.text) for e in doc.events]}"
    return hits[0]


def test_a_reported_statement_is_attributed(analyze: Analyze) -> None:
    doc = analyze("The transport minister said the new bridge would open in May.")
    assert statement_with(doc, "the new bridge would open").certainty == "attributed"


def test_what_the_reporter_states_is_asserted(analyze: Analyze) -> None:
    doc = analyze("Rebels attacked an army base near the border on Sunday.")
    assert event_at(doc, "attacked").certainty == "asserted"


def test_a_stance_cue_makes_a_claim(analyze: Analyze) -> None:
    doc = analyze("The rebels claimed that they had shot down an army helicopter.")
    assert statement_with(doc, "shot down an army helicopter").certainty == "claimed"
    assert event_at(doc, "shot down").certainty == "claimed"


def test_an_insisting_source_claims(analyze: Analyze) -> None:
    doc = analyze("The governor insisted that the police had acted lawfully.")
    assert statement_with(doc, "the police had acted lawfully").certainty == "claimed"


def test_a_modal_on_the_content_hedges_it(analyze: Analyze) -> None:
    doc = analyze("Officials said the attackers may have crossed the border from the north.")
    assert statement_with(doc, "the attackers may have crossed").certainty == "hedged"


def test_reportedly_hedges_an_event(analyze: Analyze) -> None:
    doc = analyze("The town of Marinka has reportedly fallen to the separatists.")
    event = event_at(doc, "fallen")
    assert event.type == "COERCE" and event.certainty == "hedged"


def test_likely_to_hedges_a_statement(analyze: Analyze) -> None:
    doc = analyze("The intelligence agency said the rebels were likely to attack the airport.")
    assert statement_with(doc, "the rebels were likely to attack").certainty == "hedged"


def test_unconfirmed_reports_hedge(analyze: Analyze) -> None:
    doc = analyze("According to unconfirmed reports, the army chief was arrested in the capital.")
    assert statement_with(doc, "the army chief was arrested").certainty == "hedged"
    assert event_at(doc, "arrested").certainty == "hedged"


def test_a_note_on_its_own_makes_the_preceding_claims_unconfirmed(analyze: Analyze) -> None:
    doc = analyze("The defence ministry said its forces had destroyed 20 enemy tanks near the river. "
                  "The claims could not be independently verified.")
    assert statement_with(doc, "destroyed 20 enemy tanks").certainty == "unconfirmed"
    assert event_at(doc, "destroyed").certainty == "unconfirmed"


def test_a_note_in_the_same_sentence_makes_its_claim_unconfirmed(analyze: Analyze) -> None:
    doc = analyze("The group said it had killed ten soldiers, a claim that could not be verified.")
    assert statement_with(doc, "it had killed ten soldiers").certainty == "unconfirmed"


def test_the_unconfirmed_note_does_not_reach_earlier_paragraph_claims(analyze: Analyze) -> None:
    doc = analyze("The mayor said the market would reopen on Friday.\n\n"
                  "The army said it had repelled an attack. The claim could not be verified.")
    assert statement_with(doc, "the market would reopen").certainty == "attributed"


def test_the_accused_side_denying_makes_a_claim_denied(analyze: Analyze) -> None:
    doc = analyze("Ukraine said Russian troops shelled a hospital in Kharkiv on Monday. "
                  "Moscow denied that its forces had shelled the hospital.")
    assert statement_with(doc, "Russian troops shelled a hospital").certainty == "denied"
    assert event_at(doc, "shelled").certainty == "denied"
    # the denial's own content is what is denied
    assert statement_with(doc, "its forces had shelled the hospital").certainty == "denied"


def test_a_provocation_denies_the_atrocity_claims_it_answers(analyze: Analyze) -> None:
    doc = analyze("Russian President Vladimir Putin said talks had been derailed by claims of atrocities committed "
                  "by Russian forces in the town of Bucha. \"There was a provocation in Bucha,\" Putin said.")
    event = event_at(doc, "atrocities")
    assert event.type == "ASSAULT" and event.certainty == "denied"


def test_a_third_party_rebuttal_disputes(analyze: Analyze) -> None:
    doc = analyze("Police said the protesters attacked officers first. "
                  "Witnesses dismissed the police account as false.")
    assert statement_with(doc, "the protesters attacked officers first").certainty == "disputed"
    assert event_at(doc, "attacked").certainty == "disputed"


def test_a_refusal_is_no_rebuttal(analyze: Analyze) -> None:
    doc = analyze("The union said the strike would continue. The government rejected the proposal.")
    assert statement_with(doc, "the strike would continue").certainty == "attributed"


def test_scare_quotes_are_kept_on_the_statement(analyze: Analyze) -> None:
    doc = analyze('The ministry said its troops had "liberated" the village of Pisky.')
    st = statement_with(doc, "liberated")
    assert [q.text for q in st.scare_quotes] == ["liberated"]
    assert doc.text[st.scare_quotes[0].start : st.scare_quotes[0].end] == "liberated"


def test_speech_is_no_scare_quote(analyze: Analyze) -> None:
    doc = analyze('"We will rebuild every house in this town," the mayor said.')
    assert statement_with(doc, "We will rebuild").scare_quotes == []
