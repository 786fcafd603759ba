"""The events component's lexicons and word classes: the verb, noun and modality tables
(data/event_*.tsv), actor codes, sector words, and the small closed word sets the rules test."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from newsgraph.actors import Actor
from newsgraph.lexicons import demonyms, table

ActorEntry = tuple[Span, Actor | None, str | None]


CONFLICT_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "THREATEN", "MOBILIZE"})
# Types that need a physical act or a coercive measure (manual, ASSAULT and COERCE).
VIOLENT_TYPES = frozenset({"ASSAULT", "COERCE"})


COOPERATIVE_TYPES = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})


RETREAT_TYPES = frozenset({"RETREAT", "CONCEDE"})


# Prepositions that introduce the recipient of an event, by type ("aid to", "sanctions on").
RECIPIENT_PREPS: dict[str, tuple[str, ...]] = {
    "AGREE": ("with", "to"), "CONSULT": ("with",), "SUPPORT": ("for",), "CONCEDE": ("to",),
    "COOPERATE": ("with",), "AID": ("to", "for"), "RETREAT": (), "REQUEST": ("on", "to"),
    "ACCUSE": ("against",), "REJECT": (), "THREATEN": ("against", "with"), "PROTEST": ("against",),
    "SANCTION": ("on", "against", "to", "from"), "MOBILIZE": ("against",), "COERCE": ("on", "against"),
    "ASSAULT": ("on", "against", "at"),
}


# Types whose object is a place taken or hit, so the object is also the event's location.
PLACE_OBJECT_TYPES = frozenset({"ASSAULT", "COERCE", "RETREAT", "MOBILIZE", "PROTEST"})


LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "on", "throughout",
                            "within", "into", "off"})


TEMPORAL_PREPS = frozenset({"during", "after", "before", "since", "ahead", "following", "amid", "amidst",
                            "until", "till", "prior", "despite", "throughout", "over"})


# Gerunds after these prepositions report something that happened ("before meeting", "by claiming").
REALIS_GERUND_PREPS = frozenset({"before", "after", "by", "while", "since", "following", "upon", "in", "when"})


CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "lest"})


FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})  # "would" in reported speech is a future


# Modals that make a clause a demand on its subject ("Russia must withdraw", "Iran should release them";
# manual, REQUEST: "All requests, demands, and orders"); "should have" is a reproach, not a demand.
REQUEST_MODALS = frozenset({"must", "should", "ought"})


# Auxiliaries that with "not" announce a refusal of the actor's own ("we will not negotiate"); "cannot"
# more often says one is unable ("he cannot defend his record").
REFUSAL_AUX = FUTURE_AUX


# Governing verbs whose that-clause is what they ask, promise or threaten ("demanded that he resign",
# "vowed that it would respond"); "said that", "told reporters that", "warned that" report, and "warned"
# has its own reading (frames.warning).
THAT_CLAUSE_FRAMES = frozenset({"demand", "urge", "request", "ask", "promise", "pledge", "vow", "swear", "threaten"})


# Nouns standing for an amount, a part or a container of what the verb acts on ("$700 million in aid",
# "a series of attacks", "a state of emergency").
PARTITIVE_NOUNS = frozenset({
    "billion", "million", "thousand", "hundred", "dollar", "euro", "series", "wave", "round", "number", "lot",
    "part", "host", "string", "spate", "batch", "tranche", "kind", "type", "set", "state", "package",
    "way", "amount", "range", "total", "worth", "more", "some", "sum", "activities", "activity", "level", "pounds",
    "dollars", "euros",
})


# Event nouns a delivery, shipment or supply takes its class from ("delivery of guns" is WEAPONS).
CONTAINER_CLASSES = frozenset({"EXCHANGE"})


# Object classes that name things, not actors: the recipient is found inside them.
THING_CLASSES = frozenset({
    "AID", "WEAPONS", "EXCHANGE", "PROPOSAL", "POLICY", "RELATIONS", "ACCESS", "TALKS", "RESTRICTION",
    "AGREEMENT", "CEASEFIRE", "UTILITY", "ASSETS", "CHARGES", "COMPLAINT", "SUPPORTNOUN", "ASYLUM", "DEBT",
    "INTELLIGENCE", "MEMBERSHIP", "WAR", "CONTROL", "FIRE", "REVENGE", "ALERT", "SHIELD", "ATTACK",
    "PROTESTNOUN", "STREET", "ROUTE", "SECURITY", "SLOGAN",
})


# Recipients. Nouns that name parties (states, peoples, groups and persons) without a sector of their own in
# agent_sectors.tsv: an object headed by one is a party, not a thing ("warned its neighbours", "met the couple").
PARTY_NOUNS = frozenset({
    "side", "ally", "neighbour", "neighbor", "partner", "counterpart", "rival", "opponent", "enemy", "adversary",
    "leader", "defendant", "stakeholder", "participant", "laureate", "country", "nation", "state", "people",
    "person", "couple", "family", "community", "population", "public", "individual", "man", "woman", "boy",
    "girl", "child", "citizen", "national", "resident", "inhabitant", "victim", "daughter", "son", "wife",
    "husband", "mother", "father", "relative", "official", "analyst", "expert", "critic", "supporter",
    "dissident", "owner", "regime", "administration", "bank", "airline", "fund", "foundation", "institution",
    "committee", "commission", "board", "opposition", "faction", "proxy", "team", "bloc", "clan", "tribe", "crew",
    "organizer", "organiser", "colleague", "provider",
})
# Party nouns that name a relation to their possessor: "its rival" is not of the possessor's country.
RELATIONAL_NOUNS = frozenset({"rival", "neighbour", "neighbor", "ally", "partner", "counterpart", "enemy",
                              "adversary", "opponent"})

# Noun classes (event_nouns.tsv) of parties, and entity types that never name one.
PARTY_CLASSES = frozenset({"PEOPLE", "TROOPS", "POLICE", "OFFICIAL", "CAPTIVES", "ORGANIZATION", "PERSON",
                           "DELEGATION", "EMBASSY", "MEDIA"})
# Sectors of the state whose name before a thing makes it the state's ("a government blockade", "police
# violence"); other role compounds describe the thing ("aid workers", "student visas").
STATE_ROLE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG"})
PARTNER_CLASSES = frozenset({"EXCHANGE", "AGREEMENT", "RELATIONS", "TALKS", "WAR", "CEASEFIRE"})  # "... with X"
NON_PARTY_ENTITIES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "QUANTITY", "ORDINAL"})
THING_NAME_ENTITIES = frozenset({"LAW", "EVENT", "WORK_OF_ART", "LANGUAGE"})  # names that are no party
AMOUNT_ENTITIES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY"})  # a count may be of victims

# Types whose recipient may be a thing hit or taken ("attacked a compound", "seized the building"): for the
# other types a thing is no recipient and the party is looked for inside it (manual: the recipient is the
# entity the event is directed at).
PHYSICAL_TYPES = frozenset({"ASSAULT", "COERCE"})

# Types addressed to a party, who may stand as the subject of the clause they govern: "demanded that the
# minister resign" (REQUEST), "alleged that the company inflated ..." (ACCUSE); the manual's recipient is the
# party the demand or accusation is directed at. (In "warned that X would ..." X is as often the warner's
# own side as the one warned, so THREATEN is not among them.)
ADDRESSED_TYPES = frozenset({"REQUEST", "ACCUSE"})

# Verbs an attack named by a noun does to its target ("a missile attack hit the city", "the blast killed two").
IMPACT_VERBS = frozenset({
    "hit", "strike", "target", "destroy", "damage", "kill", "wound", "injure", "level", "flatten", "pound",
    "rock", "devastate", "ravage", "tear", "rip", "slam",
})


CIVIL_SECTORS = frozenset({"CVL", "LAB", "EDU", "MED", "AGR", "REL", "JRN", "SOC", "NGO", "REF"})


STATE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "ELI", "PTY", "IGO"})


MILITARY_SECTORS = frozenset({"MIL", "REB", "UAF"})


CROWD_WORDS = frozenset({"thousands", "hundreds", "dozens", "crowds", "crowd", "scores", "tens"})


LABOUR_WORDS = frozenset({"general", "national", "nationwide", "labor", "labour", "workers", "union", "teachers",
                          "doctors", "nurses", "miners", "drivers", "pilots", "staff", "employees", "wildcat"})


FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})


PLURAL_PRONOUNS = frozenset({"they", "them", "their"})


THING_PRONOUNS = frozenset({"it", "its"})


RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})


# Modifiers that make an event noun unrealised ("a potential attack", "planned talks").
IRREALIS_MODIFIERS = frozenset({"potential", "possible", "future", "planned", "expected", "imminent", "proposed",
                                "prospective", "hypothetical", "threatened", "looming", "feared", "new"})


PLACE_HEADS = frozenset({"city", "town", "village", "region", "province", "district", "port", "capital", "area",
                         "territory", "parts", "part", "oblast", "county", "state"})


# Verbs saying that an event happens ("fighting erupted", "the ceasefire took effect", "talks resumed").
HAPPENING_VERBS = frozenset({
    "continue", "resume", "begin", "start", "erupt", "occur", "happen", "rage", "intensify", "escalate", "hold",
    "spread", "flare", "end", "kill", "wound", "injure", "leave", "hit", "destroy", "damage", "claim", "collapse",
    "fail", "succeed", "conclude", "open", "close", "break", "take", "come", "go", "last", "enter",
})


WARNING_VERBS = frozenset({"warn", "caution"})


# Event nouns whose possessor undergoes the event ("his arrest", "their release", "the minister's killing").
PATIENT_NOUNS = frozenset({"arrest", "arrests", "detention", "release", "killing", "assassination", "execution",
                           "abduction", "kidnapping", "torture", "deportation", "expulsion", "beating", "murder"})


WILLING_ADJECTIVES = frozenset({"open", "ready", "willing", "prepared", "committed", "amenable"})


NON_REFERENTIAL = frozenset({"that", "this", "these", "those", "which", "what", "something", "anything", "everything",
                             "nothing", "one", "it", "its", "they", "them", "their", "he", "she", "him", "her",
                             "his", "who", "whom", "whoever", "anyone", "someone", "everyone"})


PHRASAL_PARTICLES = frozenset({"in", "out", "up", "down", "off", "over", "back", "away", "through"})


VAGUE_DATE_VALUES = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})


PHONE_WORDS = frozenset({"phone", "telephone", "video", "videoconference", "call"})


@dataclass(frozen=True)
class VerbRow:
    lemma: str
    particle: str | None
    subject: str | None
    object: str | None
    type: str
    mode: str | None
    roles: str | None


@dataclass(frozen=True)
class NounEntry:
    key: str
    type: str | None
    mode: str | None
    cls: str | None
    standalone: str


def _dash(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if value in {"", "-"} else value


@cache
def verb_rows() -> dict[str, tuple[VerbRow, ...]]:
    rows: dict[str, list[VerbRow]] = {}
    for r in table("event_verbs.tsv"):
        row = VerbRow(r["lemma"].strip(), _dash(r["particle"]), _dash(r["subject"]), _dash(r["object"]),
                      r["type"].strip(), _dash(r["mode"]), _dash(r["roles"]))
        rows.setdefault(row.lemma, []).append(row)
    return {k: tuple(v) for k, v in rows.items()}


@cache
def noun_entries() -> dict[str, NounEntry]:
    out = {}
    for r in table("event_nouns.tsv"):
        key = r["lemma"].strip().casefold()
        out[key] = NounEntry(key, _dash(r["type"]), _dash(r["mode"]), _dash(r["class"]),
                             (r["standalone"] or "no").strip())
    return out


@cache
def modality_roles() -> dict[str, str]:
    return {r["lemma"].strip(): r["role"].strip() for r in table("event_modality.tsv")}


@cache
def agent_sectors() -> dict[str, str]:
    return {r["phrase"]: r["sector"] for r in table("agent_sectors.tsv")}


@cache
def named_codes() -> dict[str, str]:
    return {r["name"].strip().casefold(): r["code"].strip() for r in table("actor_codes.tsv")}


@cache
def country_codes() -> dict[str, str]:
    """Country names, capitals and ISO alpha-2 codes -> ISO alpha-3 (from countries.tsv and demonyms.tsv)."""
    out: dict[str, str] = {}
    for row in table("demonyms.tsv"):
        if row["iso3"] and row["iso3"] != "IGO":
            out.setdefault(row["country"].casefold(), row["iso3"])
    try:
        rows = table("countries.tsv")
    except FileNotFoundError:  # the places data may be absent in a trimmed install
        rows = ()
    for row in rows:
        iso3 = row.get("iso3") or ""
        if not iso3:
            continue
        out.setdefault((row.get("name") or "").casefold(), iso3)
        out.setdefault("iso2:" + (row.get("iso2") or ""), iso3)
        if row.get("capital"):
            out.setdefault("capital:" + row["capital"].casefold(), iso3)
    return out


def governing_role(token: Token) -> str | None:
    return modality_roles().get(token.lemma_.casefold()) or modality_roles().get(token.lower_)


# Prepositions introducing an event noun's target, by type ("attack on", "talks with", "aid to").
TARGET_PREPS: dict[str, frozenset[str]] = {
    "on": frozenset({"*"}), "against": frozenset({"*"}), "at": frozenset({"ASSAULT"}),
    "with": frozenset({"CONSULT", "COOPERATE", "ASSAULT"}), "of": frozenset({"ASSAULT", "COERCE", "RETREAT"}),
    "to": frozenset({"AID", "CONSULT"}),
}


def named_code(name: str) -> str | None:
    key = re.sub(r"^the\s+", "", name.strip().casefold())
    return named_codes().get(key)


def singular_nationality(name: str) -> str:
    """'Russians' -> 'Russian'."""
    return name[:-1] if name.endswith("s") else name


def country_iso(name: str | None) -> str | None:
    """A country's ISO alpha-3 from its name, its nationality word or its capital."""
    if not name:
        return None
    key = name.strip().casefold()
    key = re.sub(r"^the\s+", "", key)
    codes = country_codes()
    if key in codes:
        return codes[key]
    entry = demonyms().get(name.strip()) or demonyms().get(key)
    if entry is not None and entry[1] != "IGO":
        return entry[1]
    return codes.get("capital:" + key)


def role_sector_exact(words: list[str]) -> str | None:
    """The sector of exactly this role phrase ("civil society" -> SOC)."""
    return agent_sectors().get(" ".join(words))


def role_sector(words: list[str]) -> str | None:
    """The sector of the right-most role phrase in a word sequence ("U.S. Defense Secretary" -> GOV)."""
    sectors = agent_sectors()
    for end in range(len(words), 0, -1):
        for n in (3, 2, 1):
            if end - n < 0:
                continue
            phrase = " ".join(words[end - n : end])
            if phrase in sectors:
                return sectors[phrase]
    return None


SECTOR_CODES = frozenset({"GOV", "MIL", "REB", "COP", "CVL", "BUS", "JUD", "LEG", "MED", "EDU", "REL", "JRN", "LAB",
                          "AGR", "UAF", "SPY", "CRM", "ELI", "PTY", "REF", "SOC", "NGO", "IGO", "PRM", "PRE"})


# --- the senses of violence words (newsgraph.events.violence) --------------------------------------------
# General English usage of news copy, written for the rule that violence needs a physical act (manual,
# ASSAULT and COERCE definitions); none is taken from an article.

# Who fights with arms, in words news copy uses beside the sector lexicon's role nouns.
ARMED_WORDS = frozenset({"gunman", "gunmen", "militant", "militants", "attacker", "attackers", "assailant",
                         "assailants", "insurgent", "insurgents", "terrorist", "terrorists", "jihadist",
                         "jihadists", "fighter", "fighters", "bomber", "bombers", "sniper", "snipers", "mob",
                         "rioters", "gang", "gangs", "gangsters", "soldier", "soldiers", "troops", "forces",
                         "army", "militia", "militias", "rebels", "guerrillas", "warplanes", "jets", "drones",
                         "navy", "marines", "paratroopers", "raiders", "kidnappers", "abductors", "pirates"})


# Words, media and occasions of speech: an attack "in tweets", "during a speech", by "a new ad".
COMMUNICATION_NOUNS = frozenset({
    "tweet", "tweets", "twitter", "facebook", "post", "posts", "blog", "speech", "speeches", "remark", "remarks",
    "statement", "statements", "interview", "interviews", "ad", "ads", "advert", "advertisement", "commercial",
    "editorial", "column", "op-ed", "essay", "letter", "book", "memo", "video", "debate", "debates", "rally",
    "rallies", "podcast", "broadcast", "show", "program", "programme", "television", "tv", "radio", "newspaper",
    "op", "comment", "comments", "campaign", "address", "sermon", "press", "conference", "briefing", "message",
    "messages", "social", "media", "words", "language", "rhetoric",
})


# What candidates and parties contend for: "beat back a challenge", "the fight for the nomination".
CONTEST_NOUNS = frozenset({
    "poll", "polls", "survey", "election", "elections", "race", "primary", "primaries", "caucus", "caucuses",
    "nomination", "vote", "votes", "ballot", "runoff", "challenge", "challenger", "seat", "seats", "majority",
    "presidency", "nominee", "contest", "competition", "game", "match", "tournament", "championship",
    "bid", "odds", "expectations", "deadline", "ratings", "delegates", "polling", "debate",
    "candidacy", "reelection", "re-election", "mayoralty", "governorship", "chairmanship",
})


# Modifiers of a fight that make it one of words or law: "an uphill battle", "a legal fight".
FIGURATIVE_MODIFIERS = frozenset({"uphill", "legal", "political", "legislative", "electoral", "court",
                                  "courtroom", "verbal", "rhetorical", "personal", "ideological", "cultural",
                                  "culture", "budget", "price", "bidding", "custody", "procedural", "partisan",
                                  "messaging", "public-relations", "ad", "campaign"})


# Verbs and nouns of bodily harm: "attacked the ship, killing 17 sailors" is physical.
HARM_LEMMAS = frozenset({"kill", "wound", "injure", "maim", "murder", "behead", "stab", "shoot", "slaughter",
                         "massacre", "dead", "death", "casualty", "casualties"})


# Modifiers that make an attack physical: "a suicide attack", "a deadly attack", "armed assault".
VIOLENT_MODIFIERS = frozenset({"suicide", "deadly", "fatal", "lethal", "bloody", "armed", "terrorist", "terror",
                               "militant", "military", "air", "aerial", "ground", "naval", "missile", "rocket",
                               "mortar", "artillery", "drone", "bomb", "grenade", "gun", "knife", "chemical",
                               "nuclear", "violent", "physical", "sexual", "arson", "acid", "cyber"})


# Candidates, parties and their campaigns: who attacks in words in political news.
POLITICAL_WORDS = frozenset({"candidate", "candidates", "nominee", "nominees", "rival", "rivals", "opponent",
                             "opponents", "challenger", "incumbent", "frontrunner", "front-runner", "surrogate",
                             "democrat", "democrats", "republican", "republicans", "gop", "conservatives",
                             "liberals", "critics", "critic", "pundit", "pundits", "commentator", "commentators",
                             "lawmaker", "lawmakers", "politician", "politicians", "senator",
                             "congressman", "congresswoman", "businessman", "billionaire", "host", "columnist",
                             "party", "parties", "administration", "caucus", "delegate", "delegates", "allies",
                             "opposition", "ally", "adversaries", "adversary", "enemies", "members", "supporters"})


# Kin and other words for a single person, beside the person titles: "attacked his wife".
PERSON_NOUNS = frozenset({"wife", "husband", "father", "mother", "son", "daughter", "brother", "sister", "family",
                          "children", "parents", "man", "woman", "boy", "girl", "friend", "friends", "widow",
                          "fiancee", "girlfriend", "boyfriend", "colleague", "colleagues", "neighbor", "neighbour",
                          "uncle", "aunt", "cousin", "nephew", "niece", "grandfather", "grandmother", "relatives",
                          "relative", "wives", "sons", "daughters", "brothers", "sisters", "men", "women", "boys",
                          "girls", "person", "persons", "individuals", "individual"})


# Animals: their killing is no event between parties ("will kill and sacrifice animals").
ANIMAL_WORDS = frozenset({"animal", "animals", "livestock", "cattle", "sheep", "goat", "goats", "cow", "cows",
                          "chicken", "chickens", "bird", "birds", "fish", "dog", "dogs", "elephant", "elephants",
                          "rhino", "rhinos", "wildlife", "deer", "pig", "pigs", "camel", "camels"})


# What a coercive restriction restricts: rights, movement, access, media, gatherings (manual, COERCE
# restrict and censor); "restricted emissions" or "restricted comments" is none of these.
RESTRICTABLE = frozenset({"rights", "right", "freedom", "freedoms", "liberty", "liberties", "movement", "movements",
                          "access", "travel", "entry", "activities", "activity", "press", "media", "internet",
                          "speech", "assembly", "gatherings", "gathering", "protests", "protest", "demonstrations",
                          "visits", "broadcasts", "coverage", "reporting", "worship", "use", "imports", "exports",
                          "flights", "traffic", "trade", "operations", "work", "sales", "aid", "supplies"})


# Whom a statement is made to: "spoke to reporters", "addressed the nation" (newsgraph.events.uncoded;
# the codebook drops CAMEO 01, public statements).
AUDIENCE_WORDS = frozenset({"reporter", "reporters", "journalist", "journalists", "press", "media", "audience",
                            "audiences", "crowd", "crowds", "supporters", "voters", "nation", "public", "viewers",
                            "listeners", "graduates", "congregation", "newsmen", "correspondents"})


# Social occasions a host gives, which are no visit by anyone unless guests are named.
SOCIAL_OCCASIONS = frozenset({"cookout", "barbecue", "party", "event", "fundraiser", "dinner", "reception", "show",
                              "gala", "luncheon", "breakfast", "brunch", "concert", "celebration", "picnic",
                              "festival", "ceremony", "tournament", "rally", "town hall", "forum", "screening"})
