"""Statements: who said, believes or wants what, found from cue verbs, quote marks and a tagger.

The `newsgraph_quotes` component combines three sources of evidence, each doing what it does best:
- the parse around a cue verb from `data/cue_verbs.tsv` ("X said that ...", "X told Y ...",
  "X urged Y to ...", "..., X said.", "adding that ...", "according to X") gives source, cue, content,
  addressee and channel;
- quote marks give the exact extent of direct speech, across sentences and around a split cue
  (`"...," he said, "..."`);
- the statistical attribution tagger trained on PolNeAR (when the pipeline has one) finds contents
  that no rule covers, such as reported beliefs and intentions written in unusual ways.

Results go to `doc._.statements` as `Attribution` objects with token spans; `newsgraph.document`
turns them into records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.boilerplate import inside_boilerplate
from newsgraph.docinfo import text_of
from newsgraph.intervals import Intervals
from newsgraph.lexicons import CueVerb, channel_nouns, cue_verbs
from newsgraph.plain import set_plain_extension
from newsgraph.quotemarks import QUOTE_TOKENS, Quote, find_quotes
from newsgraph.records import DateRef
from newsgraph.source_ranking import rank_sources, source_ranker

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
CONTENT_CLAUSE_DEPS = {"ccomp", "parataxis"}
ADDRESSEE_DEPS = {"dobj", "dative"}
OBJECT_CONTENT_CLASSES = {"stance", "commissive"}
NOMINAL_POS = {"NOUN", "PROPN", "PRON"}
PERSONAL_OBJECT_PRONOUNS = {"me", "you", "him", "her", "us", "them"}
CHANNEL_PREPS = {"in", "on", "during", "at", "via", "through", "over"}
TRIM_PUNCT = set(",.;:!?-–—") | {"--"}
QUOTE_CHARS = QUOTE_TOKENS
# Links we climb to find the subject of a participial or conjoined cue ("..., adding that",
# "responded by claiming", "warned ... and said").
SUBJECT_CLIMB_DEPS = {"conj", "advcl", "pcomp", "xcomp", "prep", "acl"}
# Words that make "that" part of an adverbial subordinator ("now that", "so that", "in order that").
THAT_SUBORDINATORS = {"now", "so", "such", "order", "given", "except", "provided", "providing", "seeing"}


@dataclass
class Attribution:
    """A statement found in a Doc, with token spans (records are made from it later)."""

    content_start: int  # character offsets into the text
    content_end: int
    kind: str = "indirect"
    source: Span | None = None
    cue: Span | None = None
    cue_class: str | None = None
    addressee: Span | None = None
    channel: Span | None = None
    via: Span | None = None
    date: DateRef | None = None
    certainty: str = "attributed"  # set by the certainty component
    scare_quotes: list[tuple[int, int]] = field(default_factory=list)  # char offsets
    origin: str = "rule"
    quotes: list[Quote] = field(default_factory=list)
    confidence: float | None = None  # how likely the source is right (set by the speaker model)

    def overlaps(self, start: int, end: int) -> int:
        return max(0, min(self.content_end, end) - max(self.content_start, start))


set_plain_extension("statements")


@Language.factory(
    "newsgraph_quotes",
    default_config={
        "min_quote_words": 4,
        "min_cue_rate": 0.1,
        "nested_keep_classes": ["neutral"],
        "use_tagger_spans": True,
        "tagger_spans_key": "attribution",
        "learned_sources": True,
        "join_paragraphs": "attributed",
        "tagger_needs_cue": False,
    },
)
def make_quote_finder(
    nlp: Language, name: str, min_quote_words: int, min_cue_rate: float, nested_keep_classes: list[str],
    use_tagger_spans: bool, tagger_spans_key: str, learned_sources: bool, join_paragraphs: str,
    tagger_needs_cue: bool,
) -> QuoteFinder:
    return QuoteFinder(min_quote_words, min_cue_rate, nested_keep_classes, use_tagger_spans, tagger_spans_key,
                       learned_sources, join_paragraphs, tagger_needs_cue)


class QuoteFinder:
    """min_cue_rate: a verb is a cue only if, in the PolNeAR training split, at least this share of its
    uses were annotated as attribution cues (verbs with no count, from standard lists, always are).
    nested_keep_classes: cue classes kept as statements of their own when they sit inside another
    statement's content ("X said Y told them Z" keeps both; "X said Y wants Z" is X's statement).
    join_paragraphs: which quotations opening the next paragraph continue a statement (`continues_quotation`).
    tagger_needs_cue: keep a tagger content only where the tagger also marked a cue (`statements_from_tagger`).
    learned_sources: let the learned source ranker (`newsgraph.source_ranking`) re-choose each statement's
    source among its candidate mentions and set its confidence; without its weights, or when false, the
    rules' sources stay (with weights, the confidence is then the ranker's calibrated probability of the
    rules' choice)."""

    def __init__(self, min_quote_words: int = 4, min_cue_rate: float = 0.1,
                 nested_keep_classes: tuple[str, ...] | list[str] = ("neutral",), use_tagger_spans: bool = True,
                 tagger_spans_key: str = "attribution", learned_sources: bool = True,
                 join_paragraphs: str = "attributed", tagger_needs_cue: bool = False) -> None:
        self.join_paragraphs = join_paragraphs
        self.tagger_needs_cue = tagger_needs_cue
        self.min_quote_words = min_quote_words
        self.ranker = source_ranker()
        self.learned_sources = learned_sources
        self.use_tagger_spans = use_tagger_spans
        self.tagger_spans_key = tagger_spans_key
        self.cues = reliable_cue_verbs(min_cue_rate)
        self.nested_keep = set(nested_keep_classes)

    def __call__(self, doc: Doc) -> Doc:
        every_quote = find_quotes(text_of(doc))
        quotes = [q for q in every_quote if self.is_speech(doc, q)]
        found = statements_from_cues(doc, quotes, self.cues)
        found += statements_from_according_to(doc)
        found += statements_from_transcript_lines(doc)
        by_quote = quotations_of(quotes)
        found = [st for st in found if not inside_other_quote(st, by_quote)]
        found = fold_nested(found)
        found = drop_nested_thoughts(found, self.nested_keep)
        attach_quotes(doc, found, quotes, self.cues)
        if self.use_tagger_spans and self.tagger_spans_key in doc.spans:
            extend_with_tagger(doc, found, doc.spans[self.tagger_spans_key])
            found += statements_from_tagger(doc, found, doc.spans[self.tagger_spans_key], self.tagger_needs_cue)
        if doc.has_extension("boilerplate"):
            found = [st for st in found if not inside_boilerplate(doc, st.content_start, st.content_end)]
        found = absorb_inner_quotes(found)
        found.sort(key=lambda s: (s.content_start, s.content_end))
        found = merge_split_quotes(doc, found, self.join_paragraphs)
        if self.ranker is not None:
            tagged = [s for s in doc.spans[self.tagger_spans_key] if s.label_ == "SOURCE"] \
                if self.use_tagger_spans and self.tagger_spans_key in doc.spans else []
            quoted = [(q.start, q.end) for q in every_quote]
            rank_sources(doc, found, self.ranker, quoted, tagged, choose=self.learned_sources)
        dates = date_heads(doc, list(doc._.dates or []) if doc.has_extension("dates") else [])
        for st in found:
            if st.cue is not None:
                st.date = utterance_date(st.cue, dates)
        for st in found:
            if st.origin != "transcript":
                st.kind = kind_of(text_of(doc), st)
        doc._.statements = found
        return doc

    def is_speech(self, doc: Doc, q: Quote) -> bool:
        """A quotation long enough to be speech, a short but complete utterance ("What curfew?") or one
        its attribution follows ('"No way," she said'), not a scare quote or a title."""
        inner = text_of(doc)[q.start : q.end]
        words = len(inner.split())
        if words >= self.min_quote_words or (words >= 2 and inner.rstrip(" ,")[-1:] in {".", "?", "!"}):
            return True
        # '"I'm in disbelief," he said': a comma closing the quotation before its own attribution
        return inner.rstrip()[-1:] == "," and trailing_attribution(doc, q, self.cues) is not None


# --- cue verbs ---------------------------------------------------------------------------------


def reliable_cue_verbs(min_cue_rate: float) -> dict[str, CueVerb]:
    return {
        lemma: entry for lemma, entry in cue_verbs().items()
        if entry.cue_class != "other" and (entry.cue_rate >= min_cue_rate or entry.train_count == 0)
    }


def statements_from_cues(doc: Doc, quotes: list[Quote], lexicon: dict[str, CueVerb]) -> list[Attribution]:
    out = []
    for token in doc:
        if token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() not in lexicon:
            continue
        if is_negated_or_hypothetical_noise(token):
            continue
        entry = lexicon[token.lemma_.lower()]
        content = content_of(token, entry.cue_class, entry.frames) or quote_after_colon(token, quotes)
        if content is None:
            continue
        source = source_of(token)
        if source is None and token.dep_ not in {"ROOT"}:
            continue
        start, end = trimmed_char_span(doc, content[0], content[1])
        if end <= start:
            continue
        out.append(
            Attribution(
                content_start=start,
                content_end=end,
                source=source,
                cue=cue_span(token),
                cue_class=entry.cue_class,
                addressee=addressee_of(token),
                channel=channel_of(token),
            )
        )
    return out


def is_negated_or_hypothetical_noise(token: Token) -> bool:
    # "said" inside a noun phrase like "the so-called" or an adjectival participle is not a cue.
    return token.dep_ in {"amod", "compound"}


def content_of(cue: Token, cue_class: str, frames: frozenset[str] | None = None) -> tuple[int, int] | None:
    """Token range [start, end) of what the cue verb reports, or None. `frames`, the verb's frames in the
    lexicon (mined from PolNeAR train), says whether a to-infinitive reports ("urged them to leave") or is
    what the subject goes on doing ("continued to attack"); without them every to-infinitive reports."""
    children = list(cue.children)
    for child in children:
        if child.dep_ in CONTENT_CLAUSE_DEPS and not is_quote_token(child):
            return clause_range(child)
    for child in children:
        if is_misparsed_that_clause(cue, child):
            return clause_range(child)
    if frames is None or "to_inf" in frames or any(c.dep_ in {"dobj", "dative", "nsubjpass"} for c in children):
        for child in children:
            if child.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
                return token_range(child)
    for child in children:
        if child.dep_ == "prep" and child.lower_ in {"of", "about"} and cue_class in {"stance", "neutral"}:
            objs = [c for c in child.children if c.dep_ in {"pobj", "pcomp"}]
            if objs and cue.lemma_.lower() in {"warn", "speak", "talk", "complain", "boast", "write"}:
                return token_range(objs[0])
    objects = [c for c in children if c.i > cue.i and c.dep_ in {"dobj", "oprd"} and c.pos_ in NOMINAL_POS]
    # what is predicated of the object: "called X a liar", "described X as Y", "compared X to Y", and
    # for a stance verb its grounds: "praised X for Y", "accused X of Y"
    predicate_preps = {"as", "to"} | ({"for", "of", "over"} if cue_class in OBJECT_CONTENT_CLASSES else set())
    predicated = [c for c in children if c.i > cue.i and (
        c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ in predicate_preps))]
    if objects and (predicated or (cue_class in OBJECT_CONTENT_CLASSES and len(list(objects[0].subtree)) >= 3)):
        # "criticized X as Y", "called X a liar", "condemned X as Y and a Z": the object and what is
        # predicated of it are the content
        parts = objects + predicated + [c for c in children if c.i > objects[0].i and c.dep_ in {"xcomp", "ccomp"}]
        return objects[0].left_edge.i, max(p.right_edge.i for p in parts) + 1
    postposed = postposed_content(cue)
    if postposed is not None:
        return postposed
    return None


def quote_after_colon(cue: Token, quotes: list[Quote]) -> tuple[int, int] | None:
    """'Caddell continued: "..."', 'Trump said, "..."' (the quotation may open the next paragraph)."""
    doc = cue.doc
    nxt = cue.i + 1
    while nxt < len(doc) and nxt - cue.i <= 6 and doc[nxt].text not in {":", ","} and not doc[nxt].is_sent_start:
        nxt += 1
    if nxt >= len(doc) or doc[nxt].text not in {":", ","}:
        return None
    colon_end = doc[nxt].idx + 1
    # Only the quotation opening first after the colon can follow it with nothing between: the opening mark of
    # any other lies in its gap (so the gap is not cut from the text for every later quotation of the article).
    q = min((q for q in quotes if q.open >= colon_end), key=lambda q: q.open, default=None)
    if q is not None and not text_of(doc)[colon_end : q.open].strip():
        first = doc.char_span(q.start, q.end, alignment_mode="expand")
        if first is not None:
            return first.start, first.end
    return None


def is_quote_token(token: Token) -> bool:
    return token.text in QUOTE_CHARS


def is_misparsed_that_clause(cue: Token, child: Token) -> bool:
    """A that-clause the parser hung as an adverbial clause, as the small English parser does when a phrase
    comes between the verb and "that" ("tweeted in the early hours that Machado was ...": `that` advmod,
    `was` advcl). A finite clause after the cue, opened by "that" and with a subject of its own, and not a
    subordinator that ends in "that" ("now that", "so that", "in order that")."""
    first = child.left_edge
    return (child.dep_ == "advcl" and first.i > cue.i and first.lower_ == "that"
            and first.dep_ in {"mark", "advmod"} and first.head == child
            and first.nbor(-1).lower_ not in THAT_SUBORDINATORS
            and any(c.dep_ in SUBJECT_DEPS for c in child.children))


def clause_range(head: Token) -> tuple[int, int]:
    """A content clause without its complementizer: 'that he still hopes' -> 'he still hopes'."""
    start, end = token_range(head)
    doc = head.doc
    while start < end and (doc[start].dep_ in {"mark", "advmod"} and doc[start].lower_ in {"that", "whether", "if"}
                           and doc[start].head == head):
        start += 1
    return start, end


def token_range(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


def postposed_content(cue: Token) -> tuple[int, int] | None:
    """'..., X said.' : the cue and its source close the sentence after a comma; content is what precedes.

    Read from the surface, not the parse, because the small parser often hangs such a tail off the
    reported clause in odd ways ("the state news agency Tass reported" as a relative clause).
    """
    comma = postposed_comma(cue)
    if comma is None:
        return None
    start = cue.sent.start
    while start < comma and cue.doc[start].is_space:
        start += 1
    return (start, comma) if comma - start >= 3 else None


def postposed_comma(cue: Token) -> int | None:
    """Index of the comma opening a ', SOURCE said' tail, or None when the cue is not in one."""
    doc, sent = cue.doc, cue.sent
    tail = [t for t in doc[cue.i + 1 : sent.end] if not (t.is_punct or t.is_space)]
    if any(t.pos_ in {"VERB", "AUX"} for t in tail) or len(tail) > 8:
        return None
    i = cue.i - 1
    while i > sent.start and doc[i].text not in {",", "”", '"'}:
        if doc[i].pos_ in {"VERB"} or cue.i - i > 12:
            return None
        i -= 1
    if i <= sent.start + 2:
        return None
    if doc[i].text in {"”", '"'}:
        # '"...," he said' and '"...?" he asked': the quotation ends the content
        return i - 1 if doc[i - 1].text in {",", "?", "!", "."} else i
    return i if doc[i].text == "," else None


def source_of(cue: Token) -> Span | None:
    """The source phrase of a cue: its subject, or the words of a ', the agency reported' tail."""
    subject = subject_of(cue)
    comma = postposed_comma(cue)
    if comma is not None and (subject is None or not comma < subject.i < cue.i):
        words = cue.doc[comma + 1 : cue.i]
        if 0 < len(words) <= 8 and any(t.pos_ in {"PROPN", "NOUN", "PRON"} for t in words):
            return words
    return noun_phrase(subject) if subject is not None else None


def subject_of(cue: Token) -> Token | None:
    """The subject of the cue verb, or of the verb it hangs off for participles and conjuncts."""
    token = cue
    for _ in range(4):
        for child in token.children:
            if child.dep_ in SUBJECT_DEPS:
                if child.lower_ in {"which", "who", "that"} and token.dep_ == "relcl":
                    return token.head
                return child
        if token.dep_ == "relcl":
            return token.head
        if token.dep_ in SUBJECT_CLIMB_DEPS and token.head != token:
            token = token.head
            continue
        break
    return None


def noun_phrase(token: Token) -> Span:
    """The noun phrase headed by `token`, without appositions, relative clauses or trailing commas."""
    doc = token.doc
    start = token.left_edge.i
    end = token.i + 1
    for child in token.rights:
        if child.dep_ in {"appos", "relcl", "acl", "punct", "advcl", "cc", "conj"}:
            break
        end = child.right_edge.i + 1
    if any(c.dep_ == "cc" for c in token.rights):
        # keep coordinated sources whole: "Poland and Bulgaria"
        end = max(end, token.right_edge.i + 1)
        while end > token.i + 1 and doc[end - 1].dep_ in {"punct", "appos", "relcl"}:
            end -= 1
    while start < token.i and doc[start].is_punct:
        start += 1
    return doc[start:end]


def cue_span(token: Token) -> Span:
    """The cue verb with its auxiliaries and particles: 'has said', 'called on'."""
    doc = token.doc
    start, end = token.i, token.i + 1
    for child in token.children:
        if child.dep_ in {"aux", "auxpass", "neg"} and child.i < token.i and token.i - child.i <= 3:
            start = min(start, child.i)
        if child.dep_ == "prt" and child.i == end:
            end = child.i + 1
    return doc[start:end]


def addressee_of(cue: Token) -> Span | None:
    # In "told Y that ..." and "urged Y to ..." the object is the addressee.
    has_content = any(c.dep_ in CONTENT_CLAUSE_DEPS | {"xcomp"} for c in cue.children)
    for child in cue.children:
        if child.dep_ in ADDRESSEE_DEPS and child.pos_ in {"PROPN", "NOUN", "PRON"} and (
                has_content or child.dep_ == "dative"):
            return noun_phrase(child)
    return None


def channel_of(cue: Token) -> Span | None:
    """'in a statement', 'on Twitter', 'in televised remarks' attached to the cue verb."""
    nouns = channel_nouns()
    for prep in cue.children:
        if prep.dep_ != "prep" or prep.lower_ not in CHANNEL_PREPS:
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj" and (obj.lemma_.lower() in nouns or obj.lower_ in nouns):
                return cue.doc[prep.i : obj.i + 1]
    return None


def inside_other_quote(st: Attribution, quotes: list[Quote] | Intervals[Quote]) -> bool:
    """A cue inside someone's direct speech ('"... I said to him ..."') is part of that speech (`quotes`: a list,
    or `quotations_of` it for many statements)."""
    if st.cue is None:
        return False
    near = quotes.overlapping(st.cue.start_char, st.cue.end_char) if isinstance(quotes, Intervals) else quotes
    return any(q.start <= st.cue.start_char and st.cue.end_char <= q.end for q in near)


def quotations_of(quotes: list[Quote]) -> Intervals[Quote]:
    """Quotations by where their insides lie, in characters."""
    return Intervals([q for q in quotes if q.end > q.start], lambda q: q.start, lambda q: q.end)


# --- transcripts and sign-offs -------------------------------------------------------------------

TRANSCRIPT_NAME_MAX_TOKENS = 4


def statements_from_transcript_lines(doc: Doc) -> list[Attribution]:
    """Interview transcripts: a paragraph opening with 'NAME:' is NAME speaking."""
    out = []
    for para_start, para_end in paragraphs(text_of(doc)):
        span = doc.char_span(para_start, para_end, alignment_mode="expand")
        if span is None:
            continue
        tokens = [t for t in span if not t.is_space]
        lead = 1 if tokens and tokens[0].text in QUOTE_CHARS else 0
        colon = next((i for i, t in enumerate(tokens[: TRANSCRIPT_NAME_MAX_TOKENS + lead + 1]) if t.text == ":"), None)
        if colon is None or colon <= lead:
            continue
        name = tokens[lead:colon]
        if not all(t.is_upper or t.is_title or t.text in {".", "-"} for t in name) or not any(t.is_alpha for t in name):
            continue
        if not any(t.is_upper and len(t) > 1 for t in name) and not any(t.ent_type_ == "PERSON" for t in name):
            continue
        start, end = trimmed_char_span(doc, tokens[colon].i + 1, tokens[-1].i + 1)
        if end - start < 10:
            continue
        out.append(Attribution(content_start=start, content_end=end, kind="direct",
                               source=doc[name[0].i : name[-1].i + 1], origin="transcript"))
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            out.append((start, end))
        start = end + 1
    return out


def sign_off_source(doc: Doc, q: Quote) -> Span | None:
    """'"..." ― Sonya Herridge': a name after a dash right after the quotation."""
    tail = text_of(doc)[q.close : q.close + 80]
    stripped = tail.lstrip(" \u00a0")
    if not stripped or stripped[0] not in "―—–-":
        return None
    name_start = q.close + (len(tail) - len(stripped)) + 1
    while name_start < len(text_of(doc)) and text_of(doc)[name_start] in " \u00a0":
        name_start += 1
    span = doc.char_span(name_start, min(len(text_of(doc)), name_start + 60), alignment_mode="expand")
    if span is None:
        return None
    words: list[Token] = []
    for t in span:
        if t.is_title or t.is_upper or (words and t.text in {".", "'"}):
            words.append(t)
        else:
            break
    if not words or len(words) > 5:
        return None
    return doc[words[0].i : words[-1].i + 1]


# --- "according to X" ----------------------------------------------------------------------------


def statements_from_according_to(doc: Doc) -> list[Attribution]:
    out = []
    for token in doc:
        if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
            continue
        to = doc[token.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if not objs:
            continue
        phrase_end = noun_phrase(objs[0]).end
        sent = token.sent
        if token.i - sent.start <= 1:  # "According to X, ..."
            start, end = phrase_end, sent.end
        else:  # "..., according to X."
            start, end = sent.start, token.i
        s, e = trimmed_char_span(doc, start, end)
        if e - s < 10:
            continue
        out.append(Attribution(
            content_start=s, content_end=e, source=noun_phrase(objs[0]),
            cue=doc[token.i : token.i + 2], cue_class="neutral",
        ))
    return out


# --- nesting and quotes --------------------------------------------------------------------------


def fold_nested(found: list[Attribution]) -> list[Attribution]:
    """'X said ..., Interfax reported': keep the inner statement, note the outer reporter as `via`."""
    keep = []
    for outer in found:
        reports = outer.source is not None and outer.cue_class == "neutral" and outer.cue is not None \
            and outer.cue.root.lemma_.lower() in {"report", "quote", "cite"}
        # (the inner statement matters only under a reporting one: not looked for under every statement)
        inner = next(
            (s for s in found if s is not outer and s.cue is not None and outer.cue is not None
             and outer.content_start <= s.cue.start_char < outer.content_end
             and outer.overlaps(s.content_start, s.content_end) >= 0.5 * (s.content_end - s.content_start)
             and s.source is not None
             and outer.content_start <= s.source.start_char),
            None,
        ) if reports else None
        if inner is not None:
            if inner.via is None:
                inner.via = outer.source
            continue
        keep.append(outer)
    return keep


def drop_nested_thoughts(found: list[Attribution], keep_classes: set[str]) -> list[Attribution]:
    """A belief or intention reported inside someone's statement ("X said Y wants Z") is part of
    that statement's content, not a statement of its own."""
    by_content = contents_of(found)

    def nested(st: Attribution) -> bool:
        return st.cue is not None and any(
            o is not st and o.content_start <= st.cue.start_char < o.content_end
            for o in by_content.overlapping(st.cue.start_char, st.cue.start_char + 1))
    return [st for st in found if st.cue_class in keep_classes or not nested(st)]


def attach_quotes(doc: Doc, found: list[Attribution], quotes: list[Quote], cues: dict[str, CueVerb]) -> None:
    """Give every speech quotation a statement: extend the one it belongs to, or make one."""
    contents = GrowingContents(found)
    for q in quotes:
        owner = contents.most_overlapping(q.start, q.end)
        if owner is not None:
            if owner.content_start >= q.start - 2 or owner.content_end <= q.end + 2:
                # the statement is this quote (maybe cut by a sentence break): take all of it
                owner.content_start = min(owner.content_start, q.start)
                owner.content_end = max(owner.content_end, q.end)
                contents.changed(owner)
            owner.quotes.append(q)
            continue
        st = Attribution(content_start=q.start, content_end=q.end, kind="direct", origin="quote")
        signed = sign_off_source(doc, q)
        if signed is not None:
            st.source = signed
            st.quotes.append(q)
            found.append(st)
            continue
        trailing = trailing_attribution(doc, q, cues)
        if trailing is not None:
            st.source, st.cue = trailing
            st.cue_class = cues[st.cue.root.lemma_.lower()].cue_class
            st.quotes.append(q)
            found.append(st)
            continue
        speaker_from = neighbour_statement(doc, found, q)
        if speaker_from is not None:
            st.source, st.cue, st.cue_class = speaker_from.source, None, speaker_from.cue_class
            if speaker_from.cue is not None and is_split_quote_cue(doc, speaker_from, q):
                # '"...," he said, "..."': one statement around its cue
                speaker_from.content_start = min(speaker_from.content_start, q.start)
                speaker_from.content_end = max(speaker_from.content_end, q.end)
                contents.changed(speaker_from)
                speaker_from.quotes.append(q)
                continue
        st.quotes.append(q)
        found.append(st)


class GrowingContents:
    """The statements of a list by where their contents lie, while `attach_quotes` extends them and adds to the
    list (asking, for each quotation of a long article, which of thousands of statements it overlaps most): an
    `Intervals` rebuilt now and then, plus the statements changed (`changed`) or added since, read one by one."""

    REBUILD_AFTER = 64  # changed or added statements

    def __init__(self, found: list[Attribution]) -> None:
        self.found = found
        self._rebuild()

    def _rebuild(self) -> None:
        self.indexed = len(self.found)
        self.position = {id(st): k for k, st in enumerate(self.found)}
        self.index = Intervals(self.found, lambda st: st.content_start, lambda st: st.content_end)
        self.dirty: dict[int, Attribution] = {}

    def changed(self, st: Attribution) -> None:
        self.dirty[id(st)] = st

    def most_overlapping(self, start: int, end: int) -> Attribution | None:
        """The statement whose content overlaps [start, end) most, the first in the list on a tie (as
        `max(found, key=overlap)`), or None when none overlaps it."""
        if len(self.dirty) + len(self.found) - self.indexed > self.REBUILD_AFTER:
            self._rebuild()
        for k in range(self.indexed, len(self.found)):
            self.position[id(self.found[k])] = k
        best: Attribution | None = None
        best_key = (0, 0)
        seen: set[int] = set()
        for st in (*self.index.overlapping(start, end), *self.dirty.values(), *self.found[self.indexed :]):
            if id(st) in seen:
                continue
            seen.add(id(st))
            key = (st.overlaps(start, end), -self.position[id(st)])
            if key[0] > 0 and (best is None or key > best_key):
                best, best_key = st, key
        return best


SOURCE_WORD_POS = {"DET", "ADJ", "PROPN", "NOUN", "NUM", "PRON"}


def trailing_attribution(doc: Doc, q: Quote, cues: dict[str, CueVerb]) -> tuple[Span, Span] | None:
    """'"...?" Graham asked.', '"...," said Rep. Jane Doe.': source and cue right after the quotation,
    read from the words rather than the parse, which often cuts the sentence after '?"'."""
    text = text_of(doc)
    window = doc.char_span(q.close, min(len(text), q.close + 150), alignment_mode="expand")
    if window is None:
        return None
    words: list[Token] = []
    for t in window:
        if ("\n" in t.text or "\n" in t.whitespace_) and (t.is_space or not words):
            break  # the attribution is in the quotation's own paragraph or nowhere
        if t.is_space or t.text in QUOTE_CHARS or t.text in {",", ".", "?", "!", ";", ":"}:
            if t.text == "," and words:
                words.append(t)  # 'Quina Jones, 25, said'
                continue
            if words:
                break
            if t.text in QUOTE_CHARS and t.idx > q.close:
                return None  # another quotation follows at once
            continue
        words.append(t)
        if len(words) > 12:
            return None
    cue = next((t for t in words if t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in cues), None)
    if cue is None or any(t.pos_ == "VERB" and t.i < cue.i for t in words):
        return None
    before = [t for t in words if t.i < cue.i]
    while before and (before[-1].pos_ in {"ADV", "AUX", "PART"} or before[-1].text == ","):
        before.pop()  # 'Trump further described', 'she has said'
    if before and before[0].pos_ in {"ADP", "SCONJ", "CCONJ"}:
        return None  # 'In a statement issued ...' is no source
    if before:
        source_tokens = before
    else:  # inverted: 'said the mayor'
        source_tokens = []
        for t in words[words.index(cue) + 1 :]:
            if t.pos_ not in SOURCE_WORD_POS and t.text not in {".", "-"}:
                break
            source_tokens.append(t)
    if not source_tokens or not any(t.pos_ in {"PROPN", "NOUN", "PRON"} for t in source_tokens):
        return None
    return doc[source_tokens[0].i : source_tokens[-1].i + 1], doc[cue.i : cue.i + 1]


def merge_split_quotes(doc: Doc, found: list[Attribution], join_paragraphs: str = "none") -> list[Attribution]:
    """'"A," X shouted to the crowd. "B."': two quotations around one attribution clause are one
    statement; so is a quotation that runs over several paragraphs (see `continues_quotation`)."""
    out: list[Attribution] = []
    for st in found:
        prev = out[-1] if out else None
        if prev is not None and prev.quotes and st.quotes and st.cue is None and (
                is_attribution_gap(doc, prev, st.content_start)
                or continues_quotation(doc, prev, st, join_paragraphs)):
            prev.content_end = st.content_end
            prev.quotes.extend(st.quotes)
            continue
        out.append(st)
    return out


def continues_quotation(doc: Doc, prev: Attribution, st: Attribution, mode: str) -> bool:
    """A quotation over several paragraphs: by the usual typographic convention each paragraph opens
    with a quote mark and only the last one closes, so a paragraph whose quotation is left open and a
    next paragraph that opens with a quotation are one statement ("unclosed"). With "attributed", a
    closed quotation followed only by its own attribution (', he added.') and then a quoted paragraph
    with no cue of its own is also continued."""
    if mode == "none":
        return False
    text = text_of(doc)
    last, first = prev.quotes[-1], st.quotes[0]
    if first.open < last.close:
        return False
    gap = text[last.close : first.open]
    if gap.count("\n") == 0 or not text[: first.open].rstrip(" \t\u00a0").endswith("\n"):
        return False  # the next quotation must open its own paragraph
    if not last.closed:
        return not gap.strip()
    if mode != "attributed" or prev.cue is None:
        return False
    tail = gap.strip()
    return len(tail) < 120 and prev.cue.start_char >= last.close and prev.cue.end_char <= first.open \
        and "\n" not in text[last.close : prev.cue.end_char]


def absorb_inner_quotes(found: list[Attribution]) -> list[Attribution]:
    """A free-standing quotation (no cue of its own) inside another statement's content is a quoted
    fragment of that statement ('referring to the US as the "Great Satan"'): one content per attribution."""
    out = []
    by_content = contents_of(found)
    position = {id(st): i for i, st in enumerate(found)}
    for st in found:
        owner = None
        if st.origin == "quote" and st.cue is None:
            owners = [o for o in by_content.overlapping(st.content_start, st.content_end)
                      if o is not st and o.content_start <= st.content_start and st.content_end <= o.content_end
                      and (o.content_end - o.content_start) > (st.content_end - st.content_start)]
            owner = min(owners, key=lambda o: position[id(o)], default=None)  # the first in `found`
        if owner is not None:
            owner.quotes.extend(q for q in st.quotes if q not in owner.quotes)
            continue
        out.append(st)
    return out


def is_split_quote_cue(doc: Doc, st: Attribution, q: Quote) -> bool:
    return bool(st.quotes) and is_attribution_gap(doc, st, q.open)


def is_attribution_gap(doc: Doc, st: Attribution, next_start: int) -> bool:
    """Whether what lies between a statement's quotation and the next quotation is only its own
    attribution (', he said, '): no other verb, no quotation, no paragraph break."""
    if st.cue is None or not (st.content_end - 2 <= st.cue.start_char and st.cue.end_char <= next_start):
        return False
    gap = text_of(doc)[st.content_end : next_start]
    if len(gap) >= 200 or "\n" in gap or any(ch in QUOTE_CHARS for ch in gap.strip(" ,.\"“”")):
        return False
    span = doc.char_span(st.content_end, next_start, alignment_mode="contract")
    own = set(range(st.cue.start, st.cue.end))
    return span is None or not any(t.pos_ == "VERB" and t.i not in own for t in span)


def neighbour_statement(doc: Doc, found: list[Attribution], q: Quote) -> Attribution | None:
    """The statement just before a free-standing quotation (or right after it) gives its speaker."""
    before = [s for s in found if s.content_end <= q.open and s.source is not None]
    after = [s for s in found if s.content_start >= q.close and s.source is not None]
    prev = max(before, key=lambda s: s.content_end, default=None)
    nxt = min(after, key=lambda s: s.content_start, default=None)
    if prev is not None and q.open - max(prev.content_end, prev.cue.end_char if prev.cue else 0) < 120:
        return prev
    if nxt is not None and nxt.cue is not None and nxt.cue.start_char - q.close < 40:
        return nxt
    return prev if prev is not None and q.open - prev.content_end < 400 else None


# --- the tagger's spans --------------------------------------------------------------------------


def extend_with_tagger(doc: Doc, found: list[Attribution], spans: list[Span]) -> None:
    """Where the tagger's content holds a rule's content and runs on past it ("..., but she knows that
    ..."), the rule's content was cut short by the parse: take the tagger's extent."""
    by_content = contents_of(found)
    for c in (s for s in spans if s.label_ == "CONTENT"):
        start, end = trimmed_char_span(doc, c.start, c.end)
        for st in by_content.overlapping(start, end):
            inside = st.overlaps(start, end) >= 0.8 * (st.content_end - st.content_start)
            if st.quotes or "\n" in text_of(doc)[st.content_end : end]:
                continue  # a quotation has its own bounds; no content runs over a paragraph break
            if inside and end - start > st.content_end - st.content_start and start >= st.content_start - 3:
                # never over the statement's own source or cue written after it ("..., the UN said")
                after = [x.start_char for x in (st.source, st.cue) if x is not None and x.start_char >= st.content_end]
                st.content_end = max(st.content_end, min([end, *after]))
                st.content_end = trimmed_end(text_of(doc), st.content_start, st.content_end)
                by_content.grown(st)


def contents_of(found: list[Attribution]) -> Intervals[Attribution]:
    """Statements by where their contents lie, in characters (contents of no length are left out: they
    overlap nothing)."""
    return Intervals([st for st in found if st.content_end > st.content_start],
                     lambda st: st.content_start, lambda st: st.content_end)


def by_tokens(spans: list[Span]) -> Intervals[Span]:
    return Intervals(spans, lambda s: s.start, lambda s: s.end)


def statements_from_tagger(doc: Doc, found: list[Attribution], spans: list[Span], needs_cue: bool = True
                           ) -> list[Attribution]:
    """Contents the tagger found that no rule covers, each with its cue and source. With `needs_cue`, a
    content is kept only when the tagger also marked a cue in its sentence, or when it is a quotation
    (with the feature-reading tagger of version 2 that filter costs more recall than it buys precision:
    content F1 on the 42 held-out train articles 0.726 without it, 0.718 with it).

    The source is read from the parse where the tagger marked a cue (the cue verb's subject), else the
    tagged source in the same sentence, else the nearest tagged source.
    """
    out = []
    contents = [s for s in spans if s.label_ == "CONTENT"]
    sources = by_tokens([s for s in spans if s.label_ == "SOURCE"])
    # A name is never a cue: the tagger sometimes marks the addressee after "told" as one.
    cues = by_tokens([s for s in spans if s.label_ == "CUE" and not all(t.pos_ == "PROPN" for t in s)])
    by_content = contents_of(found)
    for c in contents:
        overlapped = by_content.overlapping(c.start_char, c.end_char)
        if sum(st.overlaps(c.start_char, c.end_char) for st in overlapped) >= 0.5 * (c.end_char - c.start_char):
            continue
        cue = nearest(cues, c)
        if cue is not None and (restates(cue, c, overlapped) or names_interlocutor(cue, c)):
            continue
        has_cue = cue is not None and same_sentence(cue, c)
        if not has_cue and not any(t.text in QUOTE_CHARS for t in c) and (
                needs_cue or not any(not overlapping(s, c) for s in in_sentences_of(sources, c))):
            continue  # a content with neither a cue nor a source in its sentence is too often no attribution
        source = source_for_tagged(cue, c, sources)
        start, end = trimmed_char_span(doc, c.start, c.end)
        if end <= start:
            continue
        lemma = cue.root.lemma_.lower() if cue is not None else ""
        out.append(Attribution(
            content_start=start, content_end=end, source=source, cue=cue, origin="tagger",
            cue_class=cue_verbs()[lemma].cue_class if lemma in cue_verbs() else None,
        ))
    return out


def restates(cue: Span, content: Span, found: list[Attribution]) -> bool:
    """Is a tagged content one a rule already found, run back over the cue's addressee ('Olaf Scholz on
    Tuesday that Ukraine must accept...' around 'Ukraine must accept...' after 'told')? What is said never
    holds whom it is said to: a statement with the tagger's cue whose content lies inside the tagged one,
    which holds the cue verb's object."""
    addressees = {t.i for t in cue.root.children if t.dep_ in {"dobj", "dative"}}
    if not any(content.start <= i < content.end for i in addressees):
        return False
    return any(st.cue is not None and st.cue.root.i == cue.root.i
               and content.start_char <= st.content_start and st.content_end <= content.end_char for st in found)


def names_interlocutor(cue: Span, content: Span) -> bool:
    """Is a tagged content only the name of whom the cue verb's subject spoke with or to ('talked with
    Foreign Minister Sergei Lavrov and told him ...', 'gave him ...')? The other side of a conversation is
    not what was said, except after a verb of stance or commitment ('sided with the Democrats'). A direct
    object is left alone: what a stance verb takes ('endorsed Clinton') is its content in PolNeAR (dropping
    every named object cost 0.4 points of content recall on train)."""
    words = [t for t in content if not (t.is_punct or t.is_space or t.dep_ == "cc")]
    if not words:
        return False
    head = min(words, key=lambda t: len(list(t.ancestors)))
    named = head.pos_ == "PROPN" or head.lower_ in PERSONAL_OBJECT_PRONOUNS
    if not named or any(not head.left_edge.i <= t.i <= head.right_edge.i for t in words):
        return False
    if head.dep_ == "pobj" and head.head.lower_ == "with":
        entry = cue_verbs().get(cue.root.lemma_.lower())
        return head.head.head.i == cue.root.i and not (entry and entry.cue_class in OBJECT_CONTENT_CLASSES)
    return head.dep_ == "dative" and head.head.i == cue.root.i


def source_for_tagged(cue: Span | None, content: Span, sources: Intervals[Span]) -> Span | None:
    if cue is not None:
        sent = cue.sent
        tagged = [s for s in sources.starting_in(sent.start, sent.end) if not overlapping(s, content)]
        for s in tagged:
            if any(t.dep_ in SUBJECT_DEPS and t.head.i == cue.root.i for t in s) or s.root.head.i == cue.root.i:
                return s
        parsed = source_of(cue.root) if cue.root.pos_ in {"VERB", "AUX"} else None
        if parsed is not None and not overlapping(parsed, content):
            return parsed
        if tagged:
            return min(tagged, key=lambda s: abs(s.start - cue.start))
    return nearest(sources, content)


def in_sentences_of(spans: Intervals[Span], target: Span) -> list[Span]:
    """The spans starting in the sentence of the target's first or last token (as `same_sentence`)."""
    first, last = target.sent, target[-1].sent
    found = spans.starting_in(first.start, first.end)
    return found if last.start == first.start else found + spans.starting_in(last.start, last.end)


def same_sentence(a: Span, b: Span) -> bool:
    return a.sent.start == b.sent.start or a.sent.start == b[-1].sent.start


def overlapping(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def nearest(spans: Intervals[Span], target: Span, max_distance: int = 40) -> Span | None:
    """The span nearest the target (in tokens), within max_distance."""
    return spans.nearest(target.start, target.end, max_distance)


# --- when it was said ---------------------------------------------------------------------------


def date_heads(doc: Doc, dates: list[DateRef]) -> dict[int, DateRef]:
    """The verbs dates are attached to, by token index, each with the first date attached to it; built
    once per article (every cue asks). 'on April 26' hangs off the verb through its preposition
    ('said late on April 25': through an adverb too); 'Friday' hangs off it directly."""
    by_verb: dict[int, DateRef] = {}
    for d in dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root.head
        verbs = [head]
        if head.dep_ == "prep":
            verbs.append(head.head)
            if head.head.dep_ == "advmod":
                verbs.append(head.head.head)
        for verb in verbs:
            by_verb.setdefault(verb.i, d)
    return by_verb


def utterance_date(cue: Span, dates: dict[int, DateRef]) -> DateRef | None:
    """The date attached to the cue verb itself ('said on April 26'), not a date inside what was said
    (`dates` from `date_heads`)."""
    return dates.get(cue.root.i)


# --- shared helpers ------------------------------------------------------------------------------


def trimmed_char_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character offsets of tokens [start, end) without surrounding punctuation and quote marks."""
    while start < end and (doc[start].text in TRIM_PUNCT or doc[start].text in QUOTE_CHARS):
        start += 1
    while end > start and (doc[end - 1].text in TRIM_PUNCT or doc[end - 1].text in QUOTE_CHARS):
        end -= 1
    if end <= start:
        return 0, 0
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def trimmed_end(text: str, start: int, end: int) -> int:
    """Move an end offset back over trailing spaces and punctuation."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:-–—"):
        end -= 1
    return end


def kind_of(text: str, st: Attribution) -> str:
    """direct when the content is one quotation, mixed when it holds a quoted part, else indirect."""
    content = text[st.content_start : st.content_end]
    # two characters either side: a quote mark may be two apostrophes
    inner_quotes = [q for q in find_quotes(text[max(0, st.content_start - 2) : st.content_end + 2])]
    if not inner_quotes and not any(ch in QUOTE_CHARS for ch in content) and "''" not in content:
        return "indirect"
    quoted = sum(q.end - q.start for q in inner_quotes)
    if quoted >= 0.9 * len(content.strip(" ,.\"“”")):
        return "direct"
    return "mixed"

