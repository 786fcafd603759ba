from hypothesis import given
from hypothesis import strategies as st

from newsgraph.quotemarks import find_quotes


def inner(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


def test_straight_and_curly_quotes() -> None:
    assert inner('He said "we are ready" and left.') == ["we are ready"]
    assert inner("She said “the vote is close” today.") == ["the vote is close"]


def test_mixed_marks_close_each_other() -> None:
    assert inner('They blamed “hardline factions" for the delay.') == ["hardline factions"]


def test_apostrophes_are_not_quotes() -> None:
    assert inner("The mayor’s office said it’s fine.") == []


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = '"We will rebuild.\n"And we will do it together," she said.'
    assert inner(text) == ["We will rebuild.", "And we will do it together,"]


def test_quote_glued_to_punctuation_closes() -> None:
    assert inner('"Stop now," the judge said, "or leave."') == ["Stop now,", "or leave."]


@given(st.text(alphabet=st.sampled_from(list('ab "“”«»\n.,')), max_size=80))
def test_quotes_are_ordered_disjoint_and_inside_the_text(text: str) -> None:
    quotes = find_quotes(text)
    last = -1
    for q in quotes:
        assert 0 <= q.open < q.start <= q.end <= q.close <= len(text)
        assert q.open >= last
        last = q.close


def test_closing_mark_at_a_line_start_opens() -> None:
    assert inner("Getty.\n”Fear. We are afraid.” ― A. Reader") == ["Fear. We are afraid."]


def test_quote_inside_a_quote_belongs_to_the_outer_one() -> None:
    text = 'He went on: "I read the question: “Do you trust him?” and nobody answered." Then he left.'
    assert inner(text) == ["I read the question: “Do you trust him?” and nobody answered."]


def test_two_apostrophes_are_a_double_quote_mark() -> None:
    text = "''I assume they saw the market returning,'' Mr. Hedge said, ''and it did.''"
    assert inner(text) == ["I assume they saw the market returning,", "and it did."]
    first = find_quotes(text)[0]
    assert text[first.open : first.close] == "''I assume they saw the market returning,''"


def test_single_apostrophes_stay_apostrophes_and_pairs_can_be_turned_off() -> None:
    assert inner("They played rock 'n' roll all night.") == []
    assert find_quotes("He said ''yes it is'' twice.", apostrophe_pairs=False) == []


@given(st.text(alphabet=st.sampled_from(list("ab '\"“”\n.,")), max_size=80))
def test_quotes_with_apostrophe_pairs_are_ordered_disjoint_and_inside_the_text(text: str) -> None:
    last = -1
    for q in find_quotes(text):
        assert 0 <= q.open < q.start <= q.end <= q.close <= len(text)
        assert q.open >= last
        last = q.close
