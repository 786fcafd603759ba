"""Content hashes and near-duplicate fingerprints (newsgraph.store.dedup), on texts written for these tests: a
wire report of a fictional agency, its republication by another outlet, and the agency's next report on the same
story."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys

import pytest
from datasketch import MinHash
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.store.dedup import (
    _CHUNK,
    BANDS,
    MIN_SHINGLES,
    NEAR_DUPLICATE,
    NUM_PERM,
    SCHEME,
    SEED,
    SHINGLE_WORDS,
    band_keys,
    content_hash,
    fingerprint,
    is_near_duplicate,
    long_enough_to_compare,
    shingle_count,
    shingle_hashes,
    signature_bytes,
    signature_from_bytes,
    similarity,
    words_of,
)
from tests.conftest import SHARED

POLNEAR_DEV_TEXT = SHARED / "corpora" / "polnear-dev" / "text"

# --- texts ------------------------------------------------------------------------------------------

WIRE_BODY = [
    "The Nordic Harbour Workers' Union said on Friday it would extend its strike at the container terminals of "
    "Gothenburg for at least another week after a fourth round of talks with the port operator ended without an "
    "agreement on pay.",
    "About 1,400 dockworkers walked out on Feb. 20, demanding a 7.5% raise over two years to make up for "
    "inflation that peaked above 10% last autumn. Vastra Terminals, which runs the two largest quays, has offered "
    "4% this year and 3% next year, a proposal the union called an insult to its members.",
    "\"We have been patient, and we have been reasonable,\" union chairwoman Helena Brandt told reporters outside "
    "the mediation office. \"The company keeps telling us it cannot afford more while it pays its shareholders a "
    "record dividend.\"",
    "Vastra Terminals said in a statement that its offer was in line with agreements reached in other industries "
    "and that the strike was costing Swedish exporters tens of millions of crowns a day. It said it remained open "
    "to further talks.",
    "The port handles nearly a third of Sweden's foreign trade, and two of the largest container lines "
    "have begun diverting vessels to Aarhus and Rotterdam. Truck queues outside the terminal gates stretched for "
    "several kilometres on Thursday, according to the regional transport authority.",
    "Carmakers and paper mills in western Sweden have warned that they could halt production lines if the "
    "stoppage lasts into April. A spokesman for one large forestry group said its warehouses were already full.",
    "The labour minister urged both sides to return to the table and said the government had no plans "
    "to intervene. Swedish law leaves wage setting to unions and employers, and strikes are rarely ended by "
    "legislation.",
    "The national mediation office said it would put forward its own proposal early next week. Mediators have "
    "proposed a settlement of about 5.5% over two years, according to two people familiar with the talks who "
    "declined to be named because the negotiations are confidential.",
    "Economists at a Stockholm bank estimated that a strike lasting a month would shave about 0.2 percentage point off "
    "Sweden's first-quarter growth, already expected to be weak as higher interest rates weigh on household "
    "spending.",
    "The union last staged a major walkout in 2017, when a dispute over temporary contracts shut parts of the port "
    "for almost three months and led the previous operator to sell its concession.",
]
WIRE = (
    "Port workers extend Gothenburg strike as pay talks stall\n\n"
    "By Maria Lindqvist\n\n"
    "GOTHENBURG, Sweden, March 3 (NWS) - " + "\n\n".join(WIRE_BODY) +
    "\n\n(Reporting by Maria Lindqvist; Editing by Tom Hale)\n"
)
REPUBLISHED = (
    "Strike at Gothenburg port drags on as wage talks fail\r\n\r\n"
    "Published 03/03/2023 6:14 PM | Updated 7:02 PM\r\n"
    "The Baltic Courier staff and wire reports\r\n\r\n"
    "Dockworkers at Sweden's biggest port will stay off the job for at least another week, their union said "
    "Friday, after a fourth attempt to settle a pay dispute with terminal operator Vastra Terminals collapsed.\r\n\r\n"
    + "\r\n\r\n".join(WIRE_BODY[1:-1]) +
    "\r\n\r\nIn the Baltic Courier's own port district, freight forwarders said customers had started asking about "
    "routes through Gdansk and Klaipeda.\r\n\r\n"
    "Copyright 2023 Nordic Wire Service. All rights reserved. This material may not be published, broadcast, "
    "rewritten or redistributed.\r\n"
    "Sign up for our morning newsletter to get the day's top stories in your inbox.\r\n"
)
SAME_TOPIC = (
    "Gothenburg port strike enters third week as mediators table offer\n\n"
    "By Maria Lindqvist\n\n"
    "GOTHENBURG, Sweden, March 7 (NWS) - Sweden's national mediation office on Tuesday proposed a two-year "
    "wage deal worth 5.6% to end the strike at the port of Gothenburg, and gave the dockworkers' union and Vastra "
    "Terminals until Thursday noon to respond.\n\n"
    "The Nordic Harbour Workers' Union said it would put the proposal to its members in a digital vote. Union "
    "chairwoman Helena Brandt said the offer was an improvement but did not fully protect members against rising "
    "rents and food prices.\n\n"
    "Vastra Terminals welcomed the proposal and said it was ready to sign it if the union did the same. The "
    "company has said the stoppage, now in its third week, costs it about 12 million crowns a day in lost revenue.\n\n"
    "The walkout has left more than 60 container ships waiting or rerouted, according to ship-tracking data, and "
    "a carmaker said on Monday it would cut one shift at its plant north of the city because parts were stuck on the "
    "quays.\n\n"
    "Business groups have called on the government to set a deadline for the dispute, but the prime minister "
    "said on Tuesday that the social partners must resolve it themselves. Opposition parties accused "
    "the government of standing by while exporters lost orders.\n\n"
    "Under the mediators' plan, wages would rise 3.3% from April and 2.3% a year later, with an extra lump sum for "
    "night-shift workers. The union had demanded 7.5% and the company had offered 7% over two years.\n\n"
    "Analysts said a quick end to the strike would limit the damage to the economy. Sweden's central bank has "
    "warned that the conflict adds to uncertainty at a time when the krona is weak and inflation remains high.\n\n"
    "(Reporting by Maria Lindqvist; Editing by Tom Hale)\n"
)


# --- exact duplicates --------------------------------------------------------------------------------


def test_content_hash_ignores_line_endings_spacing_case_and_unicode_form() -> None:
    text = "Port workers extend strike.\n\nThe union said on Friday  it would stay out.\n"
    same = [
        text.replace("\n", "\r\n"),
        "\ufeff  " + text.replace("  ", " ") + "\n\n",
        text.upper(),
        text.replace("Port", "Port\u00a0").replace("  ", "\t"),
    ]
    assert {content_hash(t) for t in same} == {content_hash(text)}
    assert content_hash("Stéphane Dujarric") == content_hash("Ste\u0301phane Dujarric")  # NFC and NFD
    assert content_hash("Hello  World\r\n") == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"


def test_content_hash_tells_different_words_apart() -> None:
    assert content_hash("The union said it would stay out.") != content_hash("The union said it would go back.")
    assert content_hash("stay out") != content_hash("stayout")


WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéß.,'’-0123456789", min_size=1, max_size=12),
                 min_size=1, max_size=40)
SPACES = st.sampled_from([" ", "  ", "\n", "\r\n", "\r\n\r\n", "\t", " \n ", "\u00a0", "\u2028"])


@given(WORDS, st.data())
def test_content_hash_is_invariant_to_whitespace_and_line_endings(words: list[str], data: st.DataObject) -> None:
    separators = data.draw(st.lists(SPACES, min_size=len(words) + 1, max_size=len(words) + 1))
    respaced = separators[0] + "".join(w + s for w, s in zip(words, separators[1:], strict=True))
    assert content_hash(respaced) == content_hash(" ".join(words))


# --- near-duplicates ---------------------------------------------------------------------------------


def test_a_republished_wire_report_is_a_near_duplicate() -> None:
    # Other headline, byline and first paragraph, a local last paragraph, boilerplate and CRLF line endings.
    wire, republished = fingerprint(WIRE), fingerprint(REPUBLISHED)
    assert content_hash(WIRE) != content_hash(REPUBLISHED)
    assert 0.5 <= similarity(wire, republished) < 0.8  # a 0.8 threshold would miss it
    assert is_near_duplicate(wire, republished)
    assert set(band_keys(wire)) & set(band_keys(republished))  # found through the index


def test_the_same_outlets_next_report_on_the_story_is_not() -> None:
    wire, follow_up, republished = fingerprint(WIRE), fingerprint(SAME_TOPIC), fingerprint(REPUBLISHED)
    assert similarity(wire, follow_up) < 0.1
    assert similarity(republished, follow_up) < 0.1
    assert not is_near_duplicate(wire, follow_up)
    assert not set(band_keys(wire)) & set(band_keys(follow_up))


def test_a_text_and_its_respaced_copy_have_one_fingerprint() -> None:
    assert fingerprint(WIRE) == fingerprint(WIRE.replace("\n", "\r\n").replace("Port", "PORT"))
    assert similarity(fingerprint(WIRE), fingerprint(WIRE)) == 1.0


def test_short_and_empty_texts() -> None:
    assert fingerprint("") == [2**32 - 1] * NUM_PERM
    short = fingerprint("Talks stalled.")
    assert short == fingerprint("talks   STALLED")
    assert similarity(short, fingerprint("Talks resumed.")) < 0.1


def test_fingerprint_is_the_same_in_every_process() -> None:
    sentence = ("The port handles nearly a third of Sweden's foreign trade, and shipping lines have begun "
                "diverting vessels.")
    # Pinned: stored signatures are compared with new ones, so a change of seed, scheme, shingling or
    # datasketch's permutations must fail here (and bump FINGERPRINT_VERSION).
    assert fingerprint(sentence)[:4] == [330240164, 1025040306, 170332389, 466064379]
    code = "import sys; from newsgraph.store.dedup import fingerprint; print(fingerprint(sys.argv[1]))"
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code, sentence], env=env, capture_output=True, text=True,
                             check=True).stdout
        assert out.strip() == str(fingerprint(sentence))


def test_band_keys_are_short_stable_and_one_per_band() -> None:
    keys = band_keys(fingerprint(WIRE))
    assert len(keys) == BANDS
    assert all(re.fullmatch(r"b\d\d:[0-9a-f]{16}", k) for k in keys)  # 20 characters: fits the store's column
    assert [k[:3] for k in keys] == [f"b{i:02d}" for i in range(BANDS)]
    assert keys == band_keys(fingerprint(WIRE))
    with pytest.raises(ValueError):
        band_keys([1, 2, 3])


UINT32 = st.integers(min_value=0, max_value=2**32 - 1)


@given(st.lists(UINT32, min_size=NUM_PERM, max_size=NUM_PERM))
def test_signatures_round_trip_through_bytes(signature: list[int]) -> None:
    data = signature_bytes(signature)
    assert len(data) == 4 * NUM_PERM
    assert signature_from_bytes(data) == signature


def test_malformed_signatures_are_refused() -> None:
    with pytest.raises(ValueError):
        signature_from_bytes(b"\x00\x01\x02")
    with pytest.raises(ValueError):
        similarity([1, 2], [1, 2, 3])


def test_a_long_article_hashed_in_batches_has_the_signature_of_all_its_shingles() -> None:
    # fingerprint() feeds datasketch a few hundred shingles at a time (for speed: benchmarks/store.py); the batches
    # must give what one MinHash over every shingle of a 5,000-word article gives.
    words = re.findall(r"\S+", WIRE + SAME_TOPIC + REPUBLISHED)
    text = " ".join(itertools.islice(itertools.cycle(words), 5000))
    whole = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=lambda v: v)
    whole.update_batch(shingle_hashes(words_of(text)).tolist())
    assert len(shingle_hashes(words_of(text))) > 10 * _CHUNK
    assert fingerprint(text) == [int(v) for v in whole.hashvalues]


@pytest.mark.skipif(not POLNEAR_DEV_TEXT.is_dir(), reason="PolNeAR dev split not present")
def test_no_two_polnear_dev_articles_are_near_duplicates() -> None:
    # 84 distinct articles (seven outlets, Sept.-Oct. 2016, many on the same campaign stories): the most similar
    # pair scores 0.07.
    paths = sorted(POLNEAR_DEV_TEXT.glob("*.txt"))
    signatures = [fingerprint(p.read_text(encoding="utf-8")) for p in paths]
    scores = [similarity(a, b) for a, b in itertools.combinations(signatures, 2)]
    assert len(paths) == 84
    assert max(scores) < 0.2 < NEAR_DUPLICATE


def test_a_sentence_is_too_short_for_a_near_duplicate_decision() -> None:
    # Few shingles make a coarse Jaccard: two of three shingles shared is 0.67, a punctuation change 1.0.
    fail, will = "The minister said the plan will fail.", "The minister said the plan will."
    assert similarity(fingerprint(fail), fingerprint(will)) >= NEAR_DUPLICATE  # what the estimate alone says
    assert similarity(fingerprint(fail), fingerprint("The minister said: the plan will fail!")) == 1.0
    assert shingle_count(fail) == 3 and shingle_count("Talks stalled.") == 1 and shingle_count("") == 0
    assert not long_enough_to_compare(fail) and not long_enough_to_compare(WIRE_BODY[0])  # a 40-word sentence
    assert long_enough_to_compare(WIRE) and long_enough_to_compare(REPUBLISHED)
    assert shingle_count(" ".join(["word"] * (MIN_SHINGLES + SHINGLE_WORDS - 1))) == MIN_SHINGLES
