"""Linking entities to corpus-wide actors across articles (newsgraph.store.linking), on sentences and names
written for these tests. `Corpus` below plays the store: it calls the module exactly as the store does."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import pytest

from newsgraph.records import Article, Document, Entity, Place, TextSpan
from newsgraph.store import linking
from newsgraph.store.linking import (
    GROUP_RULE,
    MAX_COOCCURRING,
    ActorProfile,
    ArticleContext,
    LinkDecision,
    context_of,
    decide_link,
    fold,
    given_names_compatible,
    keys_for_profile,
    lookup_keys,
    merge_profile,
    parse_org_name,
    parse_person_name,
    parse_place_name,
    parse_title,
    profile_for,
    profile_from_dict,
    profile_to_dict,
)

# --- building articles ------------------------------------------------------------------------------


def entity(name: str, type_: str = "PERSON", titles: tuple[str, ...] = (), mentions: tuple[str, ...] = (),
           eid: str = "E1") -> Entity:
    spans = [TextSpan(start=0, end=len(m), text=m) for m in (mentions or (name,))]
    return Entity(id=eid, name=name, type=type_, titles=list(titles), mentions=spans)


def place(name: str, country: str) -> Place:
    return Place(start=0, end=len(name), text=name, name=name, feature="city", country=country)


def article(*entities: Entity, places: tuple[Place, ...] = (), published: str = "2022-04-26") -> Document:
    numbered = [e.model_copy(update={"id": f"E{i}"}) for i, e in enumerate(entities, 1)]
    return Document(text="(text)", article=Article(id=f"a-{id(numbered)}", published=published),
                    entities=numbered, places=list(places))


class Corpus:
    """An in-memory store following the documented protocol: keys -> candidates -> decision -> profile."""

    def __init__(self) -> None:
        self.actors: dict[int, ActorProfile] = {}
        self.index: dict[str, set[int]] = defaultdict(set)

    def store(self, document: Document) -> dict[str, tuple[LinkDecision, int | None]]:
        """Link every entity; return entity name -> (decision, actor id)."""
        context = context_of(document)
        return {e.name: self.link(e, context) for e in document.entities}

    def link(self, e: Entity, context: ArticleContext) -> tuple[LinkDecision, int | None]:
        keys = linking.dictionary_keys(e) + lookup_keys(e, context)
        ids = sorted(set().union(*(self.index[k] for k in keys))) if keys else []
        decision = decide_link(e, context, [self.actors[i] for i in ids])
        if decision.rule == GROUP_RULE:
            return decision, None
        e = linking.as_linked(e, decision.as_type)
        if decision.actor_id is None:
            actor_id = len(self.actors) + 1
            profile = dataclasses.replace(profile_for(e, context, decision), actor_id=actor_id)
        else:
            actor_id = decision.actor_id
            profile = merge_profile(self.actors[actor_id], e, context)
        self.actors[actor_id] = profile
        for key in keys_for_profile(profile):
            self.index[key].add(actor_id)
        return decision, actor_id

    def by_name(self, name: str) -> int:
        ids = [i for i, p in self.actors.items() if p.name == name]
        assert len(ids) == 1, (name, [p.name for p in self.actors.values()])
        return ids[0]


RUSSIA = (place("Moscow", "RU"),)
UK = (place("London", "GB"),)
US = (place("Washington", "US"),)


# --- normalising names and titles -----------------------------------------------------------------


def test_fold_strips_accents_case_possessives_and_dots() -> None:
    assert fold("Stéphane Dujarric") == "stephane dujarric"
    assert fold("Russia 's ambassador") == fold("Russia’s Ambassador") == "russia ambassador"
    assert fold("U.S.  Army") == "us army"


def test_united_states_is_one_name_however_written() -> None:
    names = {parse_place_name(n)[0] for n in ("U.S.", "US", "United States", "the United States", "USA")}
    assert names == {"united states"}
    keys = {tuple(lookup_keys(entity(n, "GPE"))) for n in ("U.S.", "US", "United States")}
    assert keys == {("name:united states",)}
    assert parse_org_name("U.S. Army")[0] == parse_org_name("United States Army")[0] == "united states army"
    assert parse_place_name("Government of the U.S.") == ("government of united states", frozenset({"US"}))


@pytest.mark.parametrize(("name", "given", "surname"), [
    ("Vladimir Putin", "vladimir", "putin"),
    ("President Vladimir Putin", "vladimir", "putin"),
    ("President Putin", None, "putin"),
    ("Joseph R. Biden Jr.", "joseph", "biden"),
    ("U.S. Sen. Elizabeth Warren", "elizabeth", "warren"),
    ("Ursula von der Leyen", "ursula", "leyen"),
    ("de Gaulle", None, "gaulle"),
    ("Bashar al-Assad", "bashar", "assad"),
    ("Al Gore", "al", "gore"),  # "Al" capitalised is a given name, "al-" a particle
    ("Volodymyr Zelenskiy", "volodymyr", "zelensky"),
    ("Zelenskyy", None, "zelensky"),  # transliterations meet
    ("Jordan Peterson", "jordan", "peterson"),  # a country's name as a given name stays
    ("Dean Baquet", "dean", "baquet"),  # so does a title that is a common given name
])
def test_person_names_lose_titles_initials_and_suffixes(name: str, given: str | None, surname: str) -> None:
    parsed = parse_person_name(name)
    assert parsed is not None
    assert (parsed.given, parsed.surname) == (given, surname)


@pytest.mark.parametrize(("title", "role", "countries"), [
    ("Russian President", "president", {"RU"}),
    ("U.S. Defense Secretary", "defense secretary", {"US"}),
    ("Foreign Minister of Ukraine", "foreign minister", {"UA"}),
    ("Russia's ambassador in Washington", "ambassador in washington", {"RU"}),
    ("U.S. Ambassador to Russia", "ambassador to russia", {"US"}),  # the host country stays in the role
    ("UN Secretary-General", "un secretary general", set()),
])
def test_titles_become_roles_and_countries(title: str, role: str, countries: set[str]) -> None:
    assert parse_title(title) == linking.Role(role, frozenset(countries))


@pytest.mark.parametrize(("a", "b", "how"), [
    ("joe", "joseph", "short form"), ("bill", "william", "short form"), ("j", "joseph", "initial"),
    ("alex", "alexander", "prefix"), ("boris", "andrew", None), ("bill", "hillary", None),
    ("jo", "joseph", None),  # a two-letter prefix is not enough
    ("j", "andrew", None),
])
def test_given_names_are_compatible_only_as_prefix_initial_or_known_short_form(a: str, b: str, how: str | None) -> None:
    assert given_names_compatible(a, b) == how
    assert given_names_compatible(b, a) == how


def test_descriptions_are_told_from_names() -> None:
    assert linking.is_description("Russian president")
    assert linking.is_description("Russia 's ambassador in Washington")
    assert linking.is_description("his lawyer")
    assert linking.is_description("President")
    assert not linking.is_description("former president Barack Obama")
    assert not linking.is_description("Vladimir Putin")


# --- index keys -------------------------------------------------------------------------------------


def test_lookup_keys() -> None:
    assert lookup_keys(entity("Vladimir Putin", titles=("Russian President",))) == [
        "name:vladimir putin", "surname:putin"]
    assert lookup_keys(entity("Putin", titles=("President",))) == ["name:putin", "surname:putin"]
    assert lookup_keys(entity("NATO", "ORG")) == ["name:nato"]
    assert "name:un" in lookup_keys(entity("United Nations", "ORG", mentions=("UN", "United Nations")))
    assert lookup_keys(entity("Russian president")) == ["title:president (ru)"]
    assert lookup_keys(entity("officials", "GROUP")) == []


def test_a_description_without_a_country_is_looked_up_in_the_article_countries() -> None:
    context = context_of(article(entity("the president"), places=US + RUSSIA))
    keys = lookup_keys(entity("president"), context)
    assert {"title:president (us)", "title:president (ru)", "title:president"} <= set(keys)


def test_keys_for_profile() -> None:
    context = context_of(article(places=US))
    austin = profile_for(entity("Lloyd Austin", titles=("U.S. Defense Secretary",)), context)
    assert {"name:lloyd austin", "surname:austin", "title:defense secretary (us)", "title:secretary (us)"} == set(
        keys_for_profile(austin))
    assert keys_for_profile(profile_for(entity("Ukrainian officials", "GROUP"), context)) == []
    assert keys_for_profile(profile_for(entity("Russian president"), context)) == []  # per-article


# --- the same person across articles -------------------------------------------------------------


def test_putin_president_putin_and_the_russian_president_are_one_actor(analyze) -> None:  # type: ignore[no-untyped-def]
    corpus = Corpus()
    first = analyze("Russian President Vladimir Putin said on Tuesday that talks with Ukraine had reached a dead "
                    "end. Putin spoke at a news conference in Moscow with Belarusian President Alexander Lukashenko.",
                    published="2022-04-12")
    second = analyze("President Putin told Turkish President Tayyip Erdogan by phone that Russia would not halt its "
                     "offensive in Ukraine, the Kremlin said.", published="2022-04-14")
    third = analyze("The Russian president said on Friday that Western sanctions had failed, according to a Kremlin "
                    "readout of his meeting with Lukashenko in Moscow.", published="2022-04-15")
    corpus.store(first)
    putin = corpus.by_name("Vladimir Putin")
    decision, actor = corpus.store(second)["Putin"]
    assert (decision.rule, actor) == ("surname", putin)
    assert "'Putin' is the surname of Vladimir Putin" in decision.evidence
    assert "shared title 'president'" in decision.evidence
    decision, actor = corpus.store(third)["Russian president"]
    assert (decision.rule, actor) == ("title", putin)
    assert "seen as 'president' of RU in 2 articles" in decision.evidence
    assert corpus.actors[putin].article_count == 3
    assert corpus.actors[putin].name == "Vladimir Putin"


def test_defense_secretary_austin_is_lloyd_austin(analyze) -> None:  # type: ignore[no-untyped-def]
    corpus = Corpus()
    corpus.store(analyze("U.S. Defense Secretary Lloyd Austin said on Monday that Ukraine could win the war if it "
                         "had the right equipment. Austin spoke in Poland after visiting Kyiv.",
                         published="2022-04-25"))
    decision, actor = corpus.store(analyze(
        "U.S. Defense Secretary Austin told allies at Ramstein Air Base in Germany that Washington would send more "
        "artillery to Ukraine.", published="2022-04-26"))["Austin"]
    assert actor == corpus.by_name("Lloyd Austin")
    assert decision.rule == "surname"
    assert decision.evidence.startswith("'Austin' is the surname of Lloyd Austin; shared title 'defense secretary'; "
                                        "shared country US")


def test_a_full_name_seen_before_links_by_name_with_its_count() -> None:
    corpus = Corpus()
    for day in ("2022-04-25", "2022-04-26"):
        corpus.store(article(entity("Lloyd Austin", titles=("Defense Secretary",)), places=US, published=day))
    decision, actor = corpus.store(article(entity("Lloyd Austin"), places=US))["Lloyd Austin"]
    assert (decision.rule, actor) == ("same-name", corpus.by_name("Lloyd Austin"))
    assert decision.evidence.startswith("full name 'lloyd austin' seen in 2 articles")


def test_first_name_variants_link_to_the_same_person() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Joe Biden", titles=("U.S. President",)), places=US))
    biden = corpus.by_name("Joe Biden")
    for written in ("Joseph Biden", "Joseph R. Biden Jr.", "J. Biden", "Biden"):
        extra = ("President",) if written == "Biden" else ()
        decision, actor = corpus.store(article(entity(written, titles=extra), places=US))[written]
        assert actor == biden, (written, decision)
    assert corpus.store(article(entity("Joseph Biden"), places=US))["Joseph Biden"][0].rule == "same-name"


def test_a_given_name_one_slip_from_a_well_known_spelling_links_as_a_spelling_variant() -> None:
    corpus = Corpus()
    for _ in range(3):
        corpus.store(article(entity("Hillary Clinton", titles=("Mrs.",)), entity("Donald Trump"), places=US))
        corpus.store(article(entity("Jeffrey Weiss"), entity("Donald Trump"), places=US))
    hillary = corpus.by_name("Hillary Clinton")
    decision, actor = corpus.store(article(entity("Hilary Clinton"), places=US))["Hilary Clinton"]
    assert (actor, decision.rule) == (hillary, "spelling-variant")
    assert "'hilary' one letter from 'hillary'" in decision.evidence
    assert decision.confidence < corpus.store(article(entity("Hillary Clinton"), places=US))["Hillary Clinton"][
        0].confidence
    assert corpus.store(article(entity("Jeffery Weiss"), places=US))["Jeffery Weiss"][1] == corpus.by_name(
        "Jeffrey Weiss")  # two neighbours swapped
    # A letter replaced by another is another name, and a spelling seen in fewer articles is no corpus spelling.
    for _ in range(3):
        corpus.store(article(entity("Marion Smith"), places=US))
    assert corpus.store(article(entity("Marian Smith"), places=US))["Marian Smith"][0].actor_id is None
    corpus.store(article(entity("Stefan Kovacs"), places=US))
    assert corpus.store(article(entity("Steffan Kovacs"), places=US))["Steffan Kovacs"][0].actor_id is None
    assert not linking.one_slip_apart("mark", "mary") and linking.one_slip_apart("hilary", "hillary")


def test_full_names_that_differ_in_first_name_never_link() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Boris Johnson", titles=("President",)), places=US))
    # Same title, same country, and still another person.
    andrew = article(entity("Andrew Johnson", titles=("President",)), places=US)
    decision, actor = corpus.store(andrew)["Andrew Johnson"]
    assert actor != corpus.by_name("Boris Johnson")
    assert decision.rule == "name-mismatch"
    assert "'Andrew Johnson' differs in first name from Boris Johnson" in decision.evidence
    corpus.store(article(entity("Hillary Clinton"), entity("Donald Trump"), places=US))
    decision, actor = corpus.store(article(entity("Bill Clinton"), entity("Donald Trump"), places=US))["Bill Clinton"]
    assert decision.actor_id is None and actor != corpus.by_name("Hillary Clinton")


def test_a_bare_surname_goes_to_the_candidate_the_article_fits_best(analyze) -> None:  # type: ignore[no-untyped-def]
    corpus = Corpus()
    corpus.store(analyze("British Prime Minister Boris Johnson said on Wednesday that Britain would send more "
                         "anti-tank weapons to Ukraine. Johnson spoke to reporters in London.", published="2022-04-20"))
    corpus.store(analyze("Libertarian candidate Gary Johnson said on Thursday that he would not drop out of the "
                         "presidential race, despite pressure from Republicans who fear he will help Hillary Clinton "
                         "defeat Donald Trump.", published="2016-09-22"))
    decision, actor = corpus.store(analyze("Prime Minister Johnson told Parliament in London that the government "
                                           "would not raise taxes this year.", published="2022-04-27"))["Johnson"]
    assert actor == corpus.by_name("Boris Johnson")
    assert "shared title 'prime minister'" in decision.evidence
    decision, actor = corpus.store(article(entity("Johnson", titles=("Libertarian candidate",)),
                                           entity("Hillary Clinton"), entity("Donald Trump"), places=US))["Johnson"]
    assert actor == corpus.by_name("Gary Johnson")
    assert "seen with 'clinton', 'trump'" in decision.evidence


def test_a_bare_surname_without_a_clear_margin_gets_an_actor_of_its_own() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Ron Johnson", titles=("U.S. Senator",)), places=US))
    corpus.store(article(entity("Tim Johnson", titles=("U.S. Senator",)), places=US))
    # Two senators of one country and an article that says only "Sen. Johnson": no coin toss.
    decision, actor = corpus.store(article(entity("Johnson", titles=("Sen.",)), places=US))["Johnson"]
    assert decision.rule == "ambiguous" and decision.actor_id is None
    assert "'Johnson' fits Ron Johnson" in decision.evidence and "and Tim Johnson" in decision.evidence
    assert actor not in {corpus.by_name("Ron Johnson"), corpus.by_name("Tim Johnson")}
    assert corpus.actors[actor].description and keys_for_profile(corpus.actors[actor]) == []  # draws no later link
    decision, actor = corpus.store(article(entity("Ron Johnson", titles=("Senator",)), places=US))["Ron Johnson"]
    assert (decision.rule, actor) == ("same-name", corpus.by_name("Ron Johnson"))


def test_actors_seen_together_tell_two_namesakes_apart() -> None:
    corpus = Corpus()
    ron_circle = [entity(n) for n in ("Mitch McConnell", "Rand Paul", "Scott Walker", "Paul Ryan")]
    tim_circle = [entity(n) for n in ("Harry Reid", "Tom Daschle", "Mike Rounds", "Kristi Noem")]
    corpus.store(article(entity("Ron Johnson", titles=("U.S. Senator",)), *ron_circle, places=US))
    corpus.store(article(entity("Tim Johnson", titles=("U.S. Senator",)), *tim_circle, places=US))
    decision, actor = corpus.store(article(entity("Johnson", titles=("Sen.",)), *tim_circle, places=US))["Johnson"]
    assert actor == corpus.by_name("Tim Johnson"), decision
    assert "seen with 'daschle', 'noem', 'reid', 'rounds'" in decision.evidence


def test_a_bare_surname_with_nothing_in_common_is_not_linked() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Andrew Johnson", titles=("President",)), entity("Ulysses Grant"), places=US,
                         published="2016-09-22"))
    decision, actor = corpus.store(article(entity("Johnson"), entity("Keir Starmer"), places=UK))["Johnson"]
    assert decision.rule == "insufficient-evidence"
    assert actor != corpus.by_name("Andrew Johnson")


def test_honorifics_tell_mr_from_mrs() -> None:
    corpus = Corpus()
    campaign = [entity(n) for n in ("Donald Trump", "Tim Kaine", "Barack Obama", "Bernie Sanders")]
    _, hillary = corpus.store(article(entity("Hillary Clinton", titles=("Mrs.",)), *campaign, places=US))[
        "Hillary Clinton"]
    decision, _ = corpus.store(article(entity("Clinton", titles=("Mr.",)), *campaign, places=US))["Clinton"]
    assert decision.actor_id is None
    assert "called 'mr' here, unlike Hillary Clinton" in decision.evidence
    decision, actor = corpus.store(article(entity("Clinton", titles=("Mrs.",)), *campaign, places=US))["Clinton"]
    assert actor == hillary and "also called 'mrs'" in decision.evidence


def test_the_same_full_name_in_another_country_is_another_person() -> None:
    corpus = Corpus()
    minister = article(entity("John Smith", titles=("British Health Minister",)), places=UK)
    _, british = corpus.store(minister)["John Smith"]
    decision, actor = corpus.store(article(entity("John Smith", titles=("U.S. Ambassador",)), places=US))["John Smith"]
    assert decision.rule == "same-name-conflict"
    assert "country conflict: US here, GB for John Smith" in decision.evidence
    assert actor != british
    assert corpus.actors[actor].aliases == {"john smith"}  # a person in their own right, found by name later


# --- descriptions ------------------------------------------------------------------------------------


def test_the_russian_president_is_the_actor_seen_with_that_title_in_russia() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Vladimir Putin", titles=("Russian President",)), places=RUSSIA))
    corpus.store(article(entity("Alexander Lukashenko", titles=("Belarusian President",)),
                         places=(place("Minsk", "BY"),)))
    corpus.store(article(entity("Joe Biden", titles=("U.S. President",)), places=US))
    decision, actor = corpus.store(article(entity("Russian president"), places=US))["Russian president"]
    assert (decision.rule, actor) == ("title", corpus.by_name("Vladimir Putin"))
    # Without a country of its own, "the president" is looked for in the article's countries.
    decision, actor = corpus.store(article(entity("president"), places=US))["president"]
    assert (decision.rule, actor) == ("title", corpus.by_name("Joe Biden"))


def test_a_title_two_actors_hold_is_not_guessed() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Vladimir Putin", titles=("Russian President",)), places=RUSSIA))
    corpus.store(article(entity("Dmitry Medvedev", titles=("Russian President",)), places=RUSSIA))
    decision, _ = corpus.store(article(entity("Russian president"), places=RUSSIA))["Russian president"]
    assert decision.rule == "ambiguous"


def test_a_title_last_held_long_ago_gives_way_to_the_current_holder() -> None:
    corpus = Corpus()
    for day in ("2009-05-01", "2010-05-01", "2011-05-01"):
        corpus.store(article(entity("Dmitry Medvedev", titles=("Russian President",)), places=RUSSIA, published=day))
    for day in ("2022-03-01", "2022-03-15"):
        corpus.store(article(entity("Vladimir Putin", titles=("Russian President",)), places=RUSSIA, published=day))
    decision, actor = corpus.store(article(entity("Russian president"), places=RUSSIA, published="2022-04-26"))[
        "Russian president"]
    assert actor == corpus.by_name("Vladimir Putin"), decision


def test_a_specific_description_needs_that_title() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Marc Kasowitz", titles=("lawyer",)), places=US))
    decision, actor = corpus.store(article(entity("his lawyer"), places=US))["his lawyer"]
    assert actor != corpus.by_name("Marc Kasowitz") and decision.rule == "no-match"


# --- organisations, places, groups ---------------------------------------------------------------


def test_an_organisation_written_with_its_country_in_another_way_links() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Russia's Defense Ministry", "ORG"), places=RUSSIA))
    russia = corpus.by_name("Russia's Defense Ministry")
    for same in ("Russian Defense Ministry", "Russian Ministry of Defence"):
        assert corpus.store(article(entity(same, "ORG")))[same][1] == russia
    for other in ("Ukraine's Defense Ministry", "British Ministry of Defense"):
        assert corpus.store(article(entity(other, "ORG")))[other][1] != russia


def test_an_acronym_links_once_an_article_has_written_both_forms() -> None:
    corpus = Corpus()
    corpus.store(article(entity("United Nations", "ORG", mentions=("United Nations", "UN"))))
    un = corpus.by_name("United Nations")
    decision, actor = corpus.store(article(entity("UN", "ORG")))["UN"]
    assert (decision.rule, actor) == ("same-name", un)
    police_article = article(entity("Chicago Police Department", "ORG"), places=US)
    _, police = corpus.store(police_article)["Chicago Police Department"]
    debates = article(entity("Commission on Presidential Debates", "ORG",
                             mentions=("Commission on Presidential Debates", "CPD")), places=US)
    # Initials alone prove nothing, even when the police department is offered as a candidate.
    assert decide_link(debates.entities[0], context_of(debates), [corpus.actors[police]]).actor_id is None
    decision, actor = corpus.store(debates)["Commission on Presidential Debates"]
    assert decision.actor_id is None and actor != police


def test_a_department_of_x_is_the_x_department() -> None:
    assert parse_org_name("Department of State") == parse_org_name("State Department")
    assert parse_org_name("U.S. Department of the Treasury")[0] == parse_org_name("U.S. Treasury Department")[0]
    assert parse_org_name("Department of Homeland Security")[0] == "homeland security department"
    corpus = Corpus()
    corpus.store(article(entity("State Department", "ORG"), places=US * 3))
    _, actor = corpus.store(article(entity("Department of State", "ORG"), places=US * 3))["Department of State"]
    assert actor == corpus.by_name("State Department")


def test_an_acronym_of_a_kind_of_body_links_no_article_to_one_body() -> None:
    corpus = Corpus()
    corpus.store(article(entity("PAC", "ORG", mentions=("PAC",)), places=US))
    decision, actor = corpus.store(article(entity("Conservative Solutions PAC", "ORG",
                                                  mentions=("Conservative Solutions PAC", "PAC")), places=US))[
        "Conservative Solutions PAC"]
    assert decision.actor_id is None and corpus.actors[actor].name == "Conservative Solutions PAC"
    assert "pac" not in corpus.actors[actor].aliases
    # and "the PAC" of one article is not "the PAC" of another
    decision, _ = corpus.store(article(entity("PAC", "ORG", mentions=("PAC",)), places=US))["PAC"]
    assert (decision.rule, decision.actor_id) == ("kind-not-linked", None)


def test_a_generic_name_links_only_within_the_one_country_an_article_is_about() -> None:
    corpus = Corpus()
    corpus.store(article(entity("U.S. State Department", "ORG"), places=US))
    state = corpus.by_name("U.S. State Department")
    decision, actor = corpus.store(article(entity("State Department", "ORG"), places=US * 3))["State Department"]
    assert (decision.rule, actor) == ("same-name", state)
    decision, actor = corpus.store(article(entity("State Department", "ORG"), places=US + RUSSIA))["State Department"]
    assert decision.rule == "generic-not-linked" and actor != state


def test_types_never_cross() -> None:
    corpus = Corpus()
    _, place_actor = corpus.store(article(entity("Washington", "GPE")))["Washington"]
    _, moldova = corpus.store(article(entity("Moldova", "GPE")))["Moldova"]
    decision, actor = corpus.store(article(entity("Washington", "PERSON")))["Washington"]
    assert decision.actor_id is None and actor != place_actor
    decision = decide_link(entity("Moldova", "ORG"), context_of(article()), [corpus.actors[moldova]])
    assert (decision.actor_id, decision.rule) == (None, "new")


def test_groups_never_link() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Ukrainian officials", "GROUP")))
    decision, actor = corpus.store(article(entity("Ukrainian officials", "GROUP")))["Ukrainian officials"]
    assert (decision.rule, decision.actor_id, actor) == (GROUP_RULE, None, None)
    assert not corpus.index


# --- profiles ------------------------------------------------------------------------------------------


def test_merging_profiles_counts_and_names_the_actor_fully() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Putin", titles=("President",)), entity("Volodymyr Zelenskiy"), places=RUSSIA))
    corpus.store(article(entity("Vladimir Putin", titles=("Russian President",)), entity("Sergei Lavrov"),
                         entity("Volodymyr Zelenskiy"), places=RUSSIA, published="2022-04-27"))
    putin = corpus.actors[corpus.by_name("Vladimir Putin")]
    assert putin.article_count == 2
    assert putin.aliases == {"putin", "vladimir putin"}
    assert putin.titles == {"president"} and putin.count("title", "president") == 2
    assert putin.countries == {"RU"}
    assert putin.cooccurring == {"zelensky", "lavrov"} and putin.count("with", "zelensky") == 2
    assert (putin.first_seen, putin.last_seen) == ("2022-04-26", "2022-04-27")


def test_a_bare_surname_adds_no_alias_to_a_full_name() -> None:
    context = context_of(article(places=RUSSIA))
    putin = profile_for(entity("Vladimir Putin", titles=("Russian President",)), context)
    assert merge_profile(putin, entity("Putin"), context).aliases == {"vladimir putin"}


def test_cooccurring_actors_are_bounded_to_the_most_frequent() -> None:
    profile = profile_for(entity("Antonio Guterres"), context_of(article()))
    frequent = [entity(f"Frequent Person{i}") for i in range(10)]
    for n in range(12):
        others = [entity(f"Rare Person{n}x{i}") for i in range(8)]
        profile = merge_profile(profile, entity("Antonio Guterres"), context_of(article(*frequent, *others)))
    assert len(profile.cooccurring) == MAX_COOCCURRING
    assert {f"person{i}" for i in range(10)} <= profile.cooccurring


def test_profiles_round_trip_and_a_store_that_keeps_only_the_name_lists_still_links() -> None:
    context = context_of(article(places=US))
    profile = dataclasses.replace(profile_for(entity("Lloyd Austin", titles=("U.S. Defense Secretary",)), context),
                                  actor_id=7)
    data = profile_to_dict(profile)
    assert profile_from_dict(7, profile.name, profile.type, profile.article_count, data) == profile
    lean = ActorProfile(actor_id=7, name="Lloyd Austin", type="PERSON", aliases=profile.aliases,
                        titles=profile.titles, countries=profile.countries, cooccurring=profile.cooccurring,
                        article_count=1)
    decision = decide_link(entity("Austin", titles=("Defense Secretary",)), context, [lean])
    assert (decision.actor_id, decision.rule) == (7, "surname")


def test_context_of_an_article() -> None:
    doc = article(entity("Vladimir Putin"), entity("Government of Ukraine", "GPE"), entity("NATO", "ORG"),
                  entity("Ukrainian officials", "GROUP"), places=(place("Kyiv", "UA"), place("Bucha", "UA")))
    context = context_of(doc)
    assert context.countries == {"UA"}
    assert context.main_country == "UA"
    assert context.names == {"putin", "nato"}  # governments and groups say little about who else is there
    assert context.published == "2022-04-26"


def test_a_bare_surname_among_a_hundred_namesakes_is_left_unlinked() -> None:
    # A hundred senators named Smith and a bare "Smith": nothing tells them apart, so no link is guessed. (The cost
    # of such a decision is measured by benchmarks/store.py.)
    context = context_of(article(entity("Smith"), entity("Jane Doe"), places=US + UK))
    names = ["Al" + "".join(chr(97 + int(d)) for d in str(i)) for i in range(100)]  # Ala, Alb, ..., Aljj
    candidates = [dataclasses.replace(profile_for(entity(f"{given} Smith", titles=("Senator",)), context),
                                      actor_id=i) for i, given in enumerate(names)]
    candidates += [dataclasses.replace(profile_for(entity("Smith", titles=("Senator",)), context), actor_id=100)]
    smith = entity("Smith", titles=("Senator",))
    assert lookup_keys(smith, context) == ["name:smith", "surname:smith"]
    decision = decide_link(smith, context, candidates)
    assert (decision.actor_id, decision.rule) == (None, "ambiguous")
    assert "Ala Smith (#0)" in decision.evidence and "margin below" in decision.evidence


# --- one actor per person across the corpus: surnames, NER types, initials, plurals, the dictionary, confidence


def test_a_bare_surname_joins_the_well_known_full_name_the_article_supports() -> None:
    corpus = Corpus()
    for _ in range(4):
        corpus.store(article(entity("Barack Obama", titles=("President",)), entity("Joe Biden"), places=US))
    corpus.store(article(entity("Michelle Obama"), places=US))
    decision, actor = corpus.store(article(entity("Obama"), entity("Joe Biden"), places=US))["Obama"]
    assert (decision.rule, actor) == ("surname-most-seen", corpus.by_name("Barack Obama"))
    assert "the most seen (4 articles, next Michelle Obama" in decision.evidence
    assert 0.8 <= decision.confidence <= 0.9
    decision, actor = corpus.store(article(entity("Obama"), places=RUSSIA))["Obama"]  # nothing of his here
    assert decision.actor_id is None


def test_a_full_name_with_a_shared_title_is_surer_than_a_bare_surname() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Ron Johnson", titles=("Senator",)), places=US))
    full, _ = corpus.store(article(entity("Ron Johnson", titles=("Senator",)), places=US))["Ron Johnson"]
    bare, _ = corpus.store(article(entity("Johnson", titles=("Senator",)), places=US))["Johnson"]
    assert full.rule == "same-name" and bare.rule == "surname"
    assert 0.9 < full.confidence <= 1.0 and 0.75 < bare.confidence < full.confidence


def test_an_ner_org_that_names_a_known_person_is_linked_as_that_person() -> None:
    corpus = Corpus()
    for _ in range(10):
        corpus.store(article(entity("Donald Trump", titles=("Mr.",)), entity("Mike Pence"), places=US))
    decision, actor = corpus.store(article(entity("Trump", "ORG"), entity("Mike Pence"), places=US))["Trump"]
    assert (actor, decision.as_type) == (corpus.by_name("Donald Trump"), "PERSON")
    assert corpus.actors[actor].type == "PERSON"
    # A bare surname of a little-known person stays the NER's organisation: "Fox" is the network, not Vicente Fox.
    corpus.store(article(entity("Vicente Fox", titles=("President",)), places=US))
    decision, _ = corpus.store(article(entity("Fox", "ORG"), places=US))["Fox"]
    assert decision.as_type is None and decision.actor_id is None
    # An organisation's name stays an organisation's.
    decision, _ = corpus.store(article(entity("Trump Organization", "ORG"), places=US))["Trump Organization"]
    assert decision.as_type is None and decision.actor_id is None


def test_person_evidence_outweighs_an_ner_org_in_the_actor_s_type() -> None:
    corpus = Corpus()
    _, actor = corpus.store(article(entity("Bernie Sanders", "ORG"), places=US))["Bernie Sanders"]
    assert corpus.actors[actor].type == "ORG"
    profile = merge_profile(corpus.actors[actor], entity("Bernie Sanders", titles=("Sen.",)), context_of(article()))
    assert profile.type == "PERSON"  # one entity with a title outweighs one NER ORG


def test_a_one_word_name_the_ner_types_either_way_is_one_actor_of_one_type() -> None:
    corpus = Corpus()
    for _ in range(2):
        corpus.store(article(entity("Latinos", "ORG"), entity("Donald Trump"), places=US))
    latinos = corpus.by_name("Latinos")
    decision, actor = corpus.store(article(entity("Latinos"), entity("Donald Trump"), places=US))["Latinos"]
    assert (actor, decision.as_type, corpus.actors[actor].type) == (latinos, "ORG", "ORG")
    # a title is person evidence: "Mr. Latinos" would stay a person
    decision, _ = corpus.store(article(entity("Latinos", titles=("Mr.",)), places=US))["Latinos"]
    assert decision.as_type is None and decision.actor_id != latinos


def test_middle_initials_tell_father_from_son() -> None:
    corpus = Corpus()
    _, son = corpus.store(article(entity("George W. Bush"), places=US))["George W. Bush"]
    decision, father = corpus.store(article(entity("George H.W. Bush"), places=US))["George H.W. Bush"]
    assert father != son and decision.rule == "name-mismatch"
    assert "differs in middle initials from George W. Bush ('W')" in decision.evidence
    decision, _ = corpus.store(article(entity("George HW Bush"), places=US))["George HW Bush"]
    assert decision.actor_id == father
    _, again = corpus.store(article(entity("George W. Bush"), places=US))["George W. Bush"]
    assert again == son
    assert parse_person_name("Joseph R. Biden Jr.") == linking.PersonName("joseph", "biden", (), "r")


def test_a_stance_is_no_surname() -> None:
    corpus = Corpus()
    corpus.store(article(entity("Steve Israel", titles=("Rep.",)), places=US))
    decision, first = corpus.store(article(entity("pro-Israel"), places=US))["pro-Israel"]
    assert decision.actor_id is None and parse_person_name("anti-Trump") is None
    decision, again = corpus.store(article(entity("pro-Israel"), places=US))["pro-Israel"]
    assert decision.rule == "stance-not-linked" and again != first  # kept to its article, never a corpus actor


def test_a_people_in_the_plural_is_the_same_actor() -> None:
    corpus = Corpus()
    _, plural = corpus.store(article(entity("Republicans", "NORP")))["Republicans"]
    _, singular = corpus.store(article(entity("Republican", "NORP")))["Republican"]
    assert plural == singular
    assert linking.singular_people("swiss") == "swiss" and linking.singular_people("israelis") == "israelis"


def test_a_dictionary_alias_is_used_first_whatever_the_ner_type() -> None:
    party = dataclasses.replace(linking.dictionary_profile("Republican Party", ["GOP", "Grand Old Party"], "ORG",
                                                           country="US"), actor_id=7)
    assert "dict:gop" in keys_for_profile(party)
    gop = entity("GOP", "NORP", mentions=("GOP",))
    assert "dict:gop" in linking.dictionary_keys(gop)
    decision = decide_link(gop, context_of(article(places=US)), [party])
    assert (decision.actor_id, decision.rule, decision.as_type, decision.confidence) == (7, "dictionary", "ORG", 0.97)
    court = dataclasses.replace(linking.dictionary_profile("Supreme Court of the United States", ["Supreme Court"],
                                                           "ORG", country="US"), actor_id=8)
    # A generic name in an article about another country is that country's court.
    about_russia = context_of(article(*(entity("Moscow", "GPE") for _ in range(1)), places=RUSSIA * 3))
    assert decide_link(entity("Supreme Court", "ORG"), about_russia, [court]).rule != "dictionary"


def test_a_dictionary_person_s_full_legal_name_is_that_person_but_not_its_first_and_last_name() -> None:
    jeb = dataclasses.replace(linking.dictionary_profile("Jeb Bush", ["John Ellis Bush"], "PERSON", country="US"),
                              actor_id=9)
    context = context_of(article(places=US))
    decision = decide_link(entity("John Ellis Bush"), context, [jeb])
    assert (decision.actor_id, decision.rule) == (9, "dictionary")
    # "John Bush" may be another man: the dictionary does not decide it (the name rules weigh it as any other name)
    assert "dict:john bush" not in keys_for_profile(jeb)
    assert decide_link(entity("John Bush"), context, [jeb]).rule != "dictionary"


# --- in a real store (SQLite and PostgreSQL) -----------------------------------------------------------

OBAMA_AND_SMITHS = {
    "monday": "Barack Obama, the president of the United States, spoke in Washington on Monday with Vice President "
              "Joe Biden. Obama said the economy was growing again.",
    "tuesday": "President Obama met congressional leaders at the White House on Tuesday. Obama said he would veto "
               "the spending bill.",
    "wednesday": "Obama told reporters in Chicago on Wednesday that the health law was working. Joe Biden agreed "
                 "with him, but Republicans in Congress did not.",
    "farm": "John Smith, a farmer in Iowa, said the drought had ruined his corn crop. Smith said he had never seen "
            "a worse summer.",
    "senate": "Senator Mary Smith of Ohio said on Thursday that the bill would pass. Smith voted against the "
              "measure last year.",
}


def test_obama_barack_obama_and_president_obama_are_one_actor_and_two_smiths_stay_apart(  # type: ignore[no-untyped-def]
        engine, analyzer) -> None:
    from sqlalchemy import select

    from newsgraph.corpus import Ingester
    from newsgraph.ingest import ArticleInput
    from newsgraph.store.query import actor_view, find_actors
    from newsgraph.store.schema import articles, entities

    items = [ArticleInput(key, key, text, Article(id=key, published=f"2016-03-{day:02d}"))
             for day, (key, text) in enumerate(OBAMA_AND_SMITHS.items(), 1)]
    Ingester(engine, analyzer=analyzer).run([], items=items)
    with engine.connect() as conn:
        rows = conn.execute(select(articles.c.key, entities.c.name, entities.c.actor_id, entities.c.link_rule,
                                   entities.c.link_confidence)
                            .join(articles, articles.c.id == entities.c.article_id)).all()
    actor = {(r.key, r.name): r.actor_id for r in rows}
    obama = actor[("monday", "Barack Obama")]
    assert actor[("tuesday", "Obama")] == actor[("wednesday", "Obama")] == obama
    assert actor[("farm", "John Smith")] != actor[("senate", "Mary Smith")]
    assert all(r.link_confidence is not None and 0 < r.link_confidence <= 1 for r in rows)
    confidence = {(r.key, r.name): r.link_confidence for r in rows}
    assert confidence[("wednesday", "Joe Biden")] > confidence[("wednesday", "Obama")]  # full name over surname
    view = actor_view(engine, obama)
    assert view is not None and view.name == "Barack Obama" and len(view.articles) == 3
    assert find_actors(engine, "Obama")[0][0] == obama
    assert find_actors(engine, f"/actors/{obama}")[0][0] == find_actors(engine, f"#{obama}")[0][0] == obama
    assert {link.entity for link in view.links} == {"E1"}
