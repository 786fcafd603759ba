"""Which named-entity spans of an article are actor mentions, cut and typed by the article's own evidence.

The statistical NER reads a Title-Case headline ("Obama Says He Will Veto the Bill") as it reads running
text and takes capitalised verbs and nouns into names ("Obama Says", "Derelict Obama"). The article
itself tells which words are names: running text writes a name capitalised in mid-sentence and a common
word in lowercase. So
- in a Title-Case line a name span is cut down to the names the running text writes
  (`cover_by_running_names`), and takes their type;
- in running text a sentence-initial word the parser or the article shows to be no name
  ("Neither Cruz", "Follow Pam Key") is cut off the front of a name (`trim_sentence_initial`);
- a person's type needs some person evidence in the article (`person_evidence`): a title or "Mr."
  before it, a longer name it is part of, a he/she that it is the subject for, being the subject of a
  verb; a one-word "person" with none ("the Brexit debate") is no person.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc, Span, Token

from newsgraph.docinfo import cache_of, sentence_start_of
from newsgraph.lexicons import cue_verbs, demonyms, gender_detector, person_title_stems, table

FUNCTION_POS = {"VERB", "AUX", "ADP", "DET", "CCONJ", "SCONJ", "ADV", "PRON", "PART", "INTJ"}
HONORIFICS = {"mr", "mrs", "ms", "miss", "sir", "dame", "dr"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "himself", "herself"}
OPENING_PUNCT = {'"', "“", "‘", "'", "(", "[", "-", "—", "–", ":"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# cue-verb classes of cue_verbs.tsv whose subject is a person or a body (not the "other" class: "take")
AGENT_CUE_CLASSES = {"neutral", "stance", "belief", "commissive", "directive", "intention", "perception"}
# Headline style (AP, Chicago) may leave words shorter than this lowercase in a Title-Case line.
SHORT_WORD_LEN = 4
NO_ACTOR = ""  # the label of a name the article shows to be no actor


class EnglishWords:
    """The English common words of the base pipeline's rule lemmatizer (its WordNet lemma index, exceptions
    and suffix rules): "Prompts" is a word, "Obama" is not. Empty without a rule lemmatizer."""

    POS = ("noun", "verb", "adj", "adv")

    def __init__(self, lookups: Any = None) -> None:
        self.index: dict[str, Any] = {}
        self.exceptions: dict[str, Any] = {}
        self.rules: dict[str, Any] = {}
        if lookups is not None:
            for name, target in (("lemma_index", self.index), ("lemma_exc", self.exceptions),
                                 ("lemma_rules", self.rules)):
                if lookups.has_table(name):
                    table_ = lookups.get_table(name)
                    target.update({pos: set(table_[pos]) if name == "lemma_index" else table_[pos]
                                   for pos in self.POS if pos in table_})

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        w = word.casefold()
        for pos in self.POS:
            index = self.index.get(pos, set())
            if w in index or w in self.exceptions.get(pos, {}):
                return True
            if any(w.endswith(old) and w[: len(w) - len(old)] + new in index for old, new in self.rules.get(pos, [])):
                return True
        return False


def english_words_of(nlp: Any) -> EnglishWords:
    """The common-word test from a pipeline's rule lemmatizer, if it has one."""
    if "lemmatizer" in nlp.pipe_names:
        return EnglishWords(getattr(nlp.get_pipe("lemmatizer"), "lookups", None))
    return EnglishWords()


@dataclass
class NameEvidence:
    """What the running text of one article says about words and names."""

    title_case_sents: set[int] = field(default_factory=set)  # sentence start token indices
    lower_words: set[str] = field(default_factory=set)  # words written in lowercase somewhere
    names: dict[tuple[str, ...], Counter[str]] = field(default_factory=dict)  # running-text names -> labels
    name_tokens: dict[str, Counter[str]] = field(default_factory=dict)  # words of those names -> labels
    placed_names: set[tuple[str, ...]] = field(default_factory=set)  # names written in mid-sentence
    dictionary_words: set[str] = field(default_factory=set)  # capitalised words of the article that are English words


def evidence_of(doc: Doc, english_words: EnglishWords | None = None) -> NameEvidence:
    """The article's name evidence, computed once per doc (the actor linker computes it first, with the
    pipeline's English words)."""
    cached = cache_of(doc).get("newsgraph_name_evidence")
    if isinstance(cached, NameEvidence):
        return cached
    ev = NameEvidence()
    # each distinct word once (its lexeme's flags), not each token
    lexemes = [doc.vocab[orth] for orth in numpy.unique(doc.to_array([ORTH])).tolist()] if len(doc) else []
    ev.lower_words = {w.orth_ for w in lexemes if w.is_lower and w.is_alpha}
    english = english_words or EnglishWords()
    # kept per article, not the dictionary itself: the evidence rides on the doc
    ev.dictionary_words = {w.orth_ for w in lexemes if w.is_alpha and w.orth_[:1].isupper() and w.orth_ in english}
    ev.title_case_sents = {s.start for s in doc.sents if is_title_case_line(s, ev.lower_words, english)}
    names: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    tokens: dict[str, Counter[str]] = defaultdict(Counter)
    for ent in doc.ents:
        if sentence_start_of(doc, ent.start) in ev.title_case_sents:
            continue
        words = name_words(ent)
        if not words:
            continue
        if not _starts_sentence(doc[ent.start]):
            ev.placed_names.add(tuple(t.text for t in ent))
        span = Span(doc, words[0].i, words[-1].i + 1, label=ent.label_)
        for cut in trim_sentence_initial(span, ev, check=False):
            names[tuple(t.text for t in cut)][ent.label_] += 1
            for t in cut:
                if t.is_alpha:
                    tokens[t.text][ent.label_] += 1
    ev.names = dict(names)
    ev.name_tokens = dict(tokens)
    cache_of(doc)["newsgraph_name_evidence"] = ev
    return ev


def name_words(ent: Span) -> list[Token]:
    """The entity's tokens without a leading article and a trailing possessive."""
    words = list(ent)
    while words and words[0].lower_ in {"the", "a", "an"}:
        words.pop(0)
    while words and (words[-1].tag_ == "POS" or words[-1].text in {"'s", "’s", "'", "’"}):
        words.pop()
    return words


def cut_at_open_quote(words: list[Token]) -> list[Token]:
    """'Robert C. "Bobby', '” Obama's former campaign strategist': a name never starts or ends with a
    quotation mark, and a quotation mark it does not close ends it (a nickname the NER cut in two)."""
    while words and words[0].is_quote:
        words = words[1:]
    while words and words[-1].is_quote:  # 'George "Jay"' ends in the nickname's closing mark
        words = words[:-1]
    quotes = [i for i, t in enumerate(words) if t.is_quote and t.text not in {"'", "’"}]
    if len(quotes) % 2:
        words = words[: quotes[-1] if len(quotes) > 1 else quotes[0]]
        # a given name left alone ('George' of 'George "Jay"') would join another George of the article
        alone = [t for t in words if t.is_alpha and len(t) > 1]
        if len(alone) == 1 and is_given_name(alone[0].text):
            return []
    return words


def is_percent(token: Token) -> bool:
    return token.text == "%" or token.lower_ in {"percent", "per cent", "pct"}


def cut_at_quantity(words: list[Token], label: str) -> list[Token]:
    """'Trump's 1995', 'Trump 47.3 percent', 'Patriot 13 percent': a number the NER ran into a name is
    no part of it. A person's name holds no digits; other names ("Channel 4") end before a number that a
    possessive or a percent sign shows to be a quantity."""
    for i, t in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        has_digit = any(c.isdigit() for c in t.text)
        if is_percent(t) or (label == "PERSON" and has_digit):
            return words[:i]
        if t.like_num and nxt is not None and is_percent(nxt):
            return words[:i]
        if (t.tag_ == "POS" or t.text in {"'s", "’s"}) and nxt is not None and (nxt.like_num or has_digit_text(nxt)):
            return words[:i]
    return words


def has_digit_text(token: Token) -> bool:
    return any(c.isdigit() for c in token.text)


def strip_edges(words: list[Token]) -> list[Token]:
    """Quotation marks, punctuation and a possessive left at the ends once a name is cut."""
    # (a final "." stays: "Vt.", "Inc." end in one)
    while words and (words[-1].is_quote or (words[-1].is_punct and words[-1].text not in {".", ")"})
                     or words[-1].tag_ == "POS" or words[-1].text in {"'s", "’s"}):
        words = words[:-1]
    while words and (words[0].is_quote or (words[0].is_punct and words[0].text not in {"-"})
                     or words[0].tag_ == "POS" or words[0].text in {"'s", "’s"}):  # "’s Note"
        words = words[1:]
    return words


def is_title_case_line(sent: Span, lower_words: set[str], english: EnglishWords) -> bool:
    """A headline-style line: every longer word capitalised, and some of them (after the first) common
    words: function words ("Will", "With"), words the article writes in lowercase elsewhere or English
    dictionary words ("Prompts")."""
    words = [t for t in sent if t.is_alpha and len(t) >= SHORT_WORD_LEN]
    # a capital first letter is enough: "McCain" and "YouTube" are no lowercase words
    if len(words) < 3 or not all(t.text[0].isupper() for t in words):
        return False
    return any(t.i != sent.start and (t.lower_ in lower_words or t.is_stop or t.text in english) for t in words)


def _starts_sentence(token: Token) -> bool:
    """The first word of its sentence, after any opening quote or bracket."""
    doc = token.doc
    i = token.i
    start = sentence_start_of(doc, i)
    while i > start and doc[i - 1].text in OPENING_PUNCT:
        i -= 1
    return i == start


def actor_spans(ent: Span) -> list[Span]:
    """The name spans one NER entity stands for, cut by the article's evidence (maybe none, maybe two:
    "Cruz's Iowa" in a headline is Cruz and Iowa)."""
    words = strip_edges(cut_at_quantity(cut_at_open_quote(name_words(ent)), ent.label_))
    if not words:
        return []
    doc = ent.doc
    span = Span(doc, words[0].i, words[-1].i + 1, label=ent.label_)
    if is_quoted_title(span):
        return []
    ev = evidence_of(doc)
    if sentence_start_of(doc, ent.start) in ev.title_case_sents:
        return cover_by_running_names(span, ev)
    span = with_people_qualifier(span, ev)
    return [cut_leading_common_words(cut_possessed(s), ev) for part in split_name_compound(span, ev)
            for s in trim_sentence_initial(part, ev)]


def with_people_qualifier(span: Span, ev: NameEvidence) -> Span:
    """'the Islamic State group': a one-word organisation name that is a common word ("State") is the rest of a
    name with the capitalised people's adjective the NER took apart from it."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    if len(span) != 1 or span.label_ != "ORG" or before is None or span.text not in ev.dictionary_words:
        return span
    if before.ent_type_ == "NORP" and before.is_title and before.is_alpha and before.ent_iob_ == "B" and \
            (before.i + 1 == len(doc) or doc[before.i + 1].ent_iob_ != "I"):
        return Span(doc, before.i, span.end, label="ORG")
    return span


def is_quoted_title(span: Span) -> bool:
    """'a play called "Los Hijos de Trump,"': a name of several words that a pair of quotation marks encloses
    exactly is the title of a work (a play, a book, a slogan), not an actor's name; the names in it are not
    mentions of their holders either."""
    doc = span.doc
    if sum(1 for t in span if t.is_alpha) < 2 or span.start == 0:
        return False
    end = span.end
    while end < len(doc) and doc[end].text in {",", "."}:  # American style puts the comma inside the quotes
        end += 1
    return doc[span.start - 1].is_quote and not doc[span.start - 1].whitespace_ and end < len(doc) and \
        doc[end].is_quote and not doc[end - 1].whitespace_


def cut_leading_common_words(span: Span, ev: NameEvidence) -> Span:
    """'former Miss Universe Alicia Machado', 'Floridians Jeb Bush': capitalised common words the NER ran into the
    front of a person's name (the rest of a title, a demonym) are cut where a given name follows them with a
    surname after it. A given name is never cut ('Will Smith', 'Hope Hicks'), nor a word no English dictionary
    knows ('Rahm Emanuel')."""
    if span.label_ != "PERSON" or len(span) < 3:
        return span
    for k in range(1, len(span) - 1):
        token = span[k]
        if is_given_name(token.text) and span[k + 1].is_title:
            before = span[:k]
            if all(t.is_alpha and t.is_title and t.text in ev.dictionary_words and not is_given_name(t.text)
                   for t in before):
                return Span(span.doc, span.start + k, span.end, label=span.label_)
            return span
    return span


HYPHENS = frozenset({"-", "–"})
# "Trump v. Trump", "Clinton vs. Sanders": the names of a lawsuit or a contest, one on each side
VERSUS = frozenset({"v.", "v", "vs.", "vs", "versus"})


def split_name_compound(span: Span, ev: NameEvidence) -> list[Span]:
    """'the Trump-Clinton race', 'an Obama-Clinton ticket', 'Trump v. Trump': two names the article writes on
    their own, joined by a hyphen or a "v.", are a mention of each ("Abu-Laban", whose parts are no names alone,
    stays whole)."""
    texts = [t.text for t in span]
    for k, text in enumerate(texts):
        if (text in HYPHENS or text.casefold() in VERSUS) and 0 < k < len(texts) - 1 \
                and tuple(texts[:k]) in ev.names and tuple(texts[k + 1:]) in ev.names:
            left, right = tuple(texts[:k]), tuple(texts[k + 1:])
            return [Span(span.doc, span.start, span.start + k, label=ev.names[left].most_common(1)[0][0]),
                    Span(span.doc, span.start + k + 1, span.end, label=ev.names[right].most_common(1)[0][0])]
    return [span]


def cover_by_running_names(span: Span, ev: NameEvidence) -> list[Span]:
    """In a Title-Case line, the parts of a name span that running text writes as names, longest first;
    each takes the type running text gives it. Of the other words only those that look like names stay
    (a given name before a surname, a word no English dictionary knows): "Derelict", "Says" go."""
    doc = span.doc
    texts = [t.text for t in span]
    out: list[Span] = []
    done = 0  # end of the last part taken
    i = 0
    while i < len(texts):
        match = next((j for j in range(len(texts), i, -1) if tuple(texts[i:j]) in ev.names), None)
        if match is not None:
            label = ev.names[tuple(texts[i:match])].most_common(1)[0][0]
            out.append(Span(doc, span.start + i, span.start + match, label=label))
            i = done = match
            continue
        run_end = i
        while run_end < len(texts) and (texts[run_end] in ev.name_tokens or is_inner_hyphen(texts, run_end, ev)):
            run_end += 1
        if run_end == i:
            # named in the headline only: "Paul Ryan" (a given name first), "Univision" (no English word)
            given = max(given_name_run(texts, i, span.label_, ev), unknown_word_run(texts, i, ev))
            if given > i:
                out.append(Span(doc, span.start + i, span.start + given, label=span.label_))
                done = given
            i = max(given, i + 1)
            continue
        first, last = i, run_end
        # a common word alone ("News" or "Super" of another name) is no name
        while last > first and is_common_word(texts[last - 1], ev):
            last -= 1
        while last > first and is_common_word(texts[first], ev):
            first += 1
        # "Paul Ryan" over running text's "Ryan": a given name just before a running-text name stays with it
        while last > first > done and is_given_name(texts[first - 1]) and \
                texts[first - 1].casefold() not in ev.lower_words:
            first -= 1
        if last > first:
            labels: Counter[str] = Counter()
            for w in texts[first:last]:
                labels.update(ev.name_tokens.get(w, {}))
            out.append(Span(doc, span.start + first, span.start + last,
                            label=labels.most_common(1)[0][0] if labels else span.label_))
            done = last
        i = run_end
    return out


def is_inner_hyphen(texts: list[str], j: int, ev: NameEvidence) -> bool:
    """The hyphen of "Abu-Laban" between two words of running-text names."""
    return texts[j] in {"-", "–"} and 0 < j < len(texts) - 1 and texts[j - 1] in ev.name_tokens and \
        texts[j + 1] in ev.name_tokens


def given_name_run(texts: list[str], i: int, label: str, ev: NameEvidence) -> int:
    """End of a person's name written in a headline only: a given name and the capitalised words after
    it that are no common words ("Marco Rubio" of "Marco Rubio Tell"); i when there is none."""
    if label != "PERSON" or not is_given_name(texts[i]) or texts[i].casefold() in ev.lower_words:
        return i
    j = i + 1
    while j < len(texts) and texts[j][:1].isupper() and not is_common_word(texts[j], ev):
        j += 1
    return j if j - i >= 2 else i


def unknown_word_run(texts: list[str], i: int, ev: NameEvidence) -> int:
    """End of a run of capitalised words that are no English words and never written in lowercase
    ("Univision"; not an abbreviation such as "VP"); i when there is none."""
    j = i
    while j < len(texts) and texts[j].istitle() and texts[j].isalpha() and len(texts[j]) >= SHORT_WORD_LEN and \
            texts[j] not in ev.dictionary_words and not is_common_word(texts[j], ev):
        j += 1
    return j


def is_common_word(word: str, ev: NameEvidence) -> bool:
    return word.casefold() in ev.lower_words


def trim_sentence_initial(span: Span, ev: NameEvidence, check: bool = True) -> list[Span]:
    """'Neither Cruz', 'Follow Pam Key', "That's Jeb Bush" at a sentence's start: the first word is
    capitalised only because it starts the sentence, and the parser or the article shows it is no name
    (a verb or function word, or a word written in lowercase elsewhere). A name also written so in
    mid-sentence ("White House") stays whole."""
    if len(span) < 2 or not _starts_sentence(span[0]):
        return [span]
    if check and tuple(t.text for t in span) in ev.placed_names:
        return [span]
    first = span[0]
    if first.lower_.rstrip(".") in person_title_stems() or first.text in demonyms():
        return [span]
    function_word = first.pos_ in FUNCTION_POS or first.is_stop
    # a common word ("Team", "National") goes only where the rest is a name running text writes too
    rest = [t.text for t in span[1:] if t.is_alpha]
    common_word = check and first.lower_ in ev.lower_words and not is_given_name(first.text) and \
        tuple(rest) in ev.names
    if not (function_word or common_word) or (not span[1].is_title and span[1].is_alpha):
        return [span]
    start = span.start + 1
    while start < span.end - 1 and not span.doc[start].is_alpha:  # "That's Jeb Bush"
        start += 1
    return [Span(span.doc, start, span.end, label=span.label_)]


def cut_possessed(span: Span) -> Span:
    """'Obama's Legacy' tagged PERSON is Obama: a person's name ends at its possessive
    (but 'the Swiss People's Party' is one name)."""
    if span.label_ != "PERSON" or not_a_person_name(span):
        return span
    for t in span[:-1]:
        if t.tag_ == "POS" or t.text in {"'s", "’s"}:
            return Span(span.doc, span.start, t.i, label=span.label_) if t.i > span.start else span
    return span


def is_given_name(word: str) -> bool:
    return gender_detector().get_gender(word) in {"male", "female", "mostly_male", "mostly_female", "andy"}


# --- types ---------------------------------------------------------------------------------------


# Words that head an organisation's name and no person's: legal forms of companies (the ISO 20275 entity legal
# forms written in English-language names), kinds of body, and the trades that name companies ("Patriot Coal",
# "Dish Network", "Arch Coal", "Exxon Mobil Corp.").
ORGANISATION_HEADS = frozenset({
    "inc", "corp", "corporation", "co", "company", "companies", "llc", "ltd", "plc", "lp", "llp", "gmbh", "ag",
    "group", "holdings", "industries", "enterprises", "partners", "associates", "capital", "ventures", "network",
    "networks", "news", "media", "communications", "broadcasting", "coal", "energy", "oil", "petroleum", "steel",
    "motors", "airlines", "airways", "pharmaceuticals", "technologies", "systems", "foundation", "institute",
    "university", "college", "association", "federation", "union", "league", "committee", "commission", "council",
    "party", "pac", "fund", "trust", "bank", "agency", "department", "ministry", "bureau", "board", "coalition",
    "alliance", "caucus", "society", "club", "times", "journal", "tribune", "herald", "gazette", "magazine",
})
ROMAN_NUMERALS = frozenset({"II", "III", "IV", "VI", "VII", "VIII"})


def not_a_person_name(m: Span) -> bool:
    """'the Obama White House', 'the Trump Shuttle': a name headed by 'the' and heading its noun phrase
    names a thing or body, not a person ('the Hillary Clinton campaign' is a modifier, and stays). Nor is a
    name that ends in an organisation's word ('Patriot Coal', 'Dish Network') or in an acronym ('Junge SVP';
    'Henry VIII' ends in a numeral, 'Malcolm X' in a letter)."""
    doc = m.doc
    if m.label_ != "PERSON":
        return False
    last = m[-1]
    if last.text.rstrip(".").casefold() in ORGANISATION_HEADS:  # (also alone: "NETWORK" of "USA TODAY NETWORK")
        return True
    if len(m) < 2:
        return False
    if is_acronym_word(last.text) and not all(t.is_upper for t in m if t.is_alpha):  # ("JEROME ARTHUR")
        return True
    return m.start > 0 and doc[m.start - 1].lower_ == "the" and m.root.dep_ not in {"compound", "poss", "nmod", "amod"}


def is_acronym_word(text: str) -> bool:
    """'SVP', 'NRA': two or more capitals and no lower-case letter, no Roman numeral or name suffix."""
    bare = text.replace(".", "")
    return len(bare) >= 2 and bare.isalpha() and bare.isupper() and bare not in ROMAN_NUMERALS | {"JR", "SR"}


def has_honorific(m: Span) -> bool:
    doc = m.doc
    return m.start > 0 and doc[m.start - 1].lower_.rstrip(".") in HONORIFICS and doc[m.start - 1].is_title


def refers_to_by_pronoun(m: Span) -> bool:
    """'Trump said he would ...': the name is the subject of a verb whose clause has he/she as subject."""
    root = m.root
    if root.dep_ not in SUBJECT_DEPS:
        return False
    verb = root.head
    return any(t.lower_ in {"he", "she"} and t.dep_ in SUBJECT_DEPS and t.i > root.i
               for t in verb.subtree if t.i - root.i <= 20)


def followed_by_person_pronoun(m: Span) -> bool:
    """'Trump's swoon had Republicans wondering about his ability': a he/she/his/her later in the
    sentence, with no other person named between."""
    doc = m.doc
    for t in doc[m.end : m.sent.end]:
        if t.ent_type_ == "PERSON":
            return False
        if t.lower_ in PERSON_PRONOUNS and t.pos_ == "PRON":
            return True
    return False


def person_evidence(m: Span, full_name_words: set[str]) -> bool:
    """Does this mention show that its name is a person's?"""
    from newsgraph.actors import has_person_context

    if len(m) >= 2 or m.text in full_name_words:
        return True
    if has_honorific(m) or has_person_context(m) or refers_to_by_pronoun(m) or is_given_name(m.text):
        return True
    if followed_by_person_pronoun(m):
        return True
    root = m.root
    # the subject of a speech or belief verb ("Smith said"), or a name with a description in apposition
    if root.dep_ in SUBJECT_DEPS and is_saying_verb(root.head):
        return True
    if root.dep_ == "appos" or any(c.dep_ == "appos" for c in root.children):
        return True
    # "according to Smith", "said by Smith"
    return root.dep_ == "pobj" and root.head.lower_ in {"to", "by"} and root.head.i > 0 and \
        root.doc[root.head.i - 1].lower_ in {"according", "said", "written", "told"}


def is_saying_verb(token: Token) -> bool:
    """A verb whose subject is a speaker or believer ("say", "argue", "believe"), not "take"."""
    cue = cue_verbs().get(token.lemma_.casefold())
    return cue is not None and token.pos_ in {"VERB", "AUX"} and cue.cue_class in AGENT_CUE_CLASSES


def label_by_evidence(key_mentions: dict[str, list[Span]], voted: dict[str, str],
                      ev: NameEvidence | None = None) -> dict[str, str]:
    """Correct the voted label of each name by the article's person evidence.

    "Mr. X" makes X a person. A one-word PERSON with no person evidence in any of its mentions (no
    title, full name, given name, saying verb, apposition) is no person when something else speaks
    against it: the NER typed it otherwise in a third of its uses or more ("Brexit" PERSON twice, GPE once),
    it is only in headlines, or it
    is a common word ("Exit", "Bust", "Mommy"); it then takes the NER's other label, or none (NO_ACTOR).
    A consistently typed name ("Merkel's policy") stays: only other articles could tell more.
    """
    full_name_words = {t.text for ms in key_mentions.values() for m in ms
                       if m.label_ == "PERSON" and len(m) >= 2 for t in m}
    out = dict(voted)
    for key, ms in key_mentions.items():
        if any(has_honorific(m) for m in ms if len(m) == 1):
            out[key] = "PERSON"
            continue
        if voted.get(key) == "PERSON" and all(len(m) == 1 and m[0].tag_ == "NNPS" for m in ms):
            out[key] = "NORP"  # a plural name ("the Clintons") is a group of people, whatever they said
            continue
        if voted.get(key) != "PERSON" or any(person_evidence(m, full_name_words) for m in ms):
            continue
        others = Counter(m.label_ for m in ms if m.label_ != "PERSON")
        headline_only = ev is not None and all(m.sent.start in ev.title_case_sents for m in ms)
        common_word = ev is not None and ms[0].text.casefold() in ev.lower_words
        unsure = 2 * sum(others.values()) >= sum(1 for m in ms if m.label_ == "PERSON")  # the NER is torn
        if unsure or headline_only or common_word:
            out[key] = others.most_common(1)[0][0] if others else NO_ACTOR
    return out


# --- titles --------------------------------------------------------------------------------------


@cache
def role_words() -> frozenset[str]:
    """Words that name an office or role: person_titles.txt and the one-word roles of the CAMEO agents
    dictionary (agent_sectors.tsv)."""
    words = set(person_title_stems())
    words.update(row["phrase"].rstrip(".") for row in table("agent_sectors.tsv") if " " not in row["phrase"])
    return frozenset(w.casefold() for w in words)


@cache
def role_vocabulary() -> frozenset[str]:
    """Every word of a title or role phrase ("defense" of "defense minister")."""
    words = set(role_words())
    for row in table("agent_sectors.tsv"):
        words.update(w.rstrip(".") for w in row["phrase"].split())
    for title in person_title_stems():
        words.update(title.split())
    return frozenset(w.casefold() for w in words)


def is_role_word(token: Token) -> bool:
    return token.lower_.rstrip(".") in role_words()


def title_prefix(tokens: list[Token], keep_lower: set[str]) -> list[Token]:
    """The part of the words before a name that is a title: it ends in a title or role word ("Ohio Gov.",
    "Republican front-runner") and holds only qualifiers of one (places, demonyms, offices, "former");
    a capitalised headline word ("Crooked", "Endorses") is no title."""
    last = max((i for i, t in enumerate(tokens) if is_role_word(t)), default=None)
    if last is None:
        return []
    # "Secretary of State": a role word may be followed by "of" and the office's capitalised name
    tail = tokens[last + 1:]
    if tail and not (tail[0].lower_ == "of" and len(tail) > 1 and all(t.is_title for t in tail[1:])):
        return []
    start = last
    while start > 0 and is_title_qualifier(tokens[start - 1], keep_lower):
        start -= 1
    return tokens[start:]


def is_title_qualifier(token: Token, keep_lower: set[str]) -> bool:
    low = token.lower_.rstrip(".")
    if token.text in {"-", "–"} or token.lower_ in keep_lower or low in role_vocabulary():
        return True
    if token.text in demonyms():
        return True
    # the NER's types are no evidence in a Title-Case line ("Carly Fiorina Endorses Sen. Ted Cruz")
    in_headline = token.sent.start in evidence_of(token.doc).title_case_sents
    if token.ent_type_ in {"GPE", "NORP", "ORG", "LOC"} and not in_headline:
        return True
    return token.is_punct and token.text in {"."}
